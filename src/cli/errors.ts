/** A bad command-line argument: the CLI prints the message and exits 2, never a stack trace. */
export class UsageError extends Error {}
