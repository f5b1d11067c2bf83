/**
 * `corridor bookings list|show|hold|confirm|decline|cancel|sweep`: the bookings in the database
 * DATABASE_URL names, for scripts and operators at a terminal. The CLI acts as an admin (it holds
 * the database itself) and reads capacity from the data files (a server adds the operators'
 * publications). Same use cases as the API (src/service/bookings.ts).
 */
import type { BookingState } from '../booking/model.js';
import type { BookingService, Viewer } from '../service/bookings.js';
import type { Store } from '../store/store.js';
import type { RegisterCommand } from './context.js';

const ADMIN: Viewer = { party: 'cli', kind: 'admin', operators: [] };

function line(b: BookingState): string {
  const legs = b.legs.filter((l) => l.generation === b.generation);
  return (
    `${b.reference}  ${b.status.padEnd(17)} ${b.carrierReference ?? '-'}  ` +
    `${legs.map((l) => `${l.seq}:${l.status}`).join(' ')}`
  );
}

export const registerBookingsCommand: RegisterCommand = (program, cli) => {
  const { out, err, setStatus } = cli;
  const cmd = program.command('bookings').description('list, show, hold, confirm, decline and cancel bookings');
  const dbOption = '--database <url>';
  const dbHelp = 'sqlite:/path or postgres://… (env DATABASE_URL, default sqlite:./var/corridor.sqlite)';

  const run = async (db: string | undefined, fn: (b: BookingService, s: Store) => Promise<void>) => {
    const [{ openStore, DEFAULT_DATABASE_URL }, { BookingService }, { isBookingRefusal }] = await Promise.all([
      import('../store/open.js'),
      import('../service/bookings.js'),
      import('../booking/decide.js'),
    ]);
    let store: Store;
    try {
      store = await openStore(db ?? process.env.DATABASE_URL ?? DEFAULT_DATABASE_URL);
    } catch (e) {
      err(`corridor bookings: cannot open the database: ${e instanceof Error ? e.message : String(e)}\n`);
      setStatus(2);
      return;
    }
    try {
      await fn(
        new BookingService({ corridor: cli.service(), repo: store.bookings, now: () => cli.now().toISOString() }),
        store,
      );
    } catch (e) {
      if (!isBookingRefusal(e)) throw e;
      err(`corridor bookings: ${e.message}\n`);
      setStatus(e.code === 'not-found' ? 4 : e.code === 'invalid-request' ? 2 : 3);
    } finally {
      await store.close();
    }
  };
  const print = (json: boolean | undefined, b: BookingState) =>
    out(json ? `${JSON.stringify(b, null, 2)}\n` : `${line(b)}\n`);

  cmd
    .command('list')
    .description('bookings, oldest first')
    .option('--status <status>', 'only this DCSA bookingStatus')
    .option('--operator <id>', 'only bookings with a leg of this operator')
    .option('--limit <n>', 'at most this many', '100')
    .option(dbOption, dbHelp)
    .option('--json', 'print JSON')
    .action(async (o: { status?: string; operator?: string; limit: string; database?: string; json?: boolean }) =>
      run(o.database, async (s) => {
        const rows = await s.list(
          ADMIN,
          { status: o.status as BookingState['status'] | undefined, limit: Number(o.limit) },
          o.operator,
        );
        out(o.json ? `${JSON.stringify(rows, null, 2)}\n` : rows.map((b) => `${line(b)}\n`).join(''));
      }),
    );

  cmd
    .command('show <reference>')
    .description('a booking with its legs and history')
    .option(dbOption, dbHelp)
    .option('--json', 'print JSON')
    .action(async (ref: string, o: { database?: string; json?: boolean }) =>
      run(o.database, async (s) => {
        const b = await s.get(ADMIN, ref);
        const history = await s.history(ADMIN, ref);
        if (o.json) {
          out(`${JSON.stringify({ ...b, history }, null, 2)}\n`);
          return;
        }
        out(`${line(b)}\nholds until ${b.holdExpiresAt ?? '-'}\n`);
        for (const l of b.legs.filter((x) => x.generation === b.generation))
          out(
            `  ${l.seq}. ${l.from} → ${l.to}  ${l.status.padEnd(10)} ${l.operators.join('/')}  ` +
              `${l.departure ?? '(on request)'}  ${l.teu} TEU\n`,
          );
        for (const h of history) out(`  ${h.at}  ${h.from ?? '-'} → ${h.to}  ${h.event}  ${h.reason ?? ''}\n`);
      }),
    );

  cmd
    .command('hold')
    .description('book (hold every leg): a routing reference, or the first itinerary between two places')
    .option('--routing <reference>', 'routingReference of a plan (GET /api/v1/plans) stored in this database')
    .option('--from <locode>', 'place of receipt (without --routing)')
    .option('--to <locode>', 'place of delivery (without --routing)')
    .option('--date <YYYY-MM-DD>', 'ready day (without --routing; default today)')
    .option('--containers <n>', 'how many', '1')
    .option('--type <iso6346>', 'ISO 6346 size-type code', '42G1')
    .option(dbOption, dbHelp)
    .option('--json', 'print JSON')
    .action(
      async (o: {
        routing?: string;
        from?: string;
        to?: string;
        date?: string;
        containers: string;
        type: string;
        database?: string;
        json?: boolean;
      }) =>
        run(o.database, async (s) => {
          const units = Number(o.containers);
          if (!Number.isInteger(units) || units < 1) {
            err(`corridor bookings hold: --containers must be a whole number ≥ 1 (got "${o.containers}")\n`);
            setStatus(2);
            return;
          }
          const b = await s.book(ADMIN, {
            request: {
              receiptTypeAtOrigin: 'CY',
              deliveryTypeAtDestination: 'CY',
              cargoMovementTypeAtOrigin: 'FCL',
              cargoMovementTypeAtDestination: 'FCL',
              isEquipmentSubstitutionAllowed: false,
              documentParties: { bookingAgent: { partyName: 'corridor bookings hold' } },
              requestedEquipments: [{ ISOEquipmentCode: o.type, units, isShipperOwned: false }],
              ...(o.routing ? { routingReference: o.routing } : {}),
            },
            routingReference: o.routing,
            equipments: [{ isoCode: o.type, units }],
            origin: o.from,
            destination: o.to,
            departureDate: o.date,
          });
          print(o.json, b);
        }),
    );

  for (const action of ['confirm', 'decline'] as const) {
    cmd
      .command(`${action} <reference>`)
      .description(`${action} an operator's legs of a booking`)
      .requiredOption('--operator <id>', 'the operator answering')
      .option('--leg <n>', 'only this leg')
      .option('--reason <text>', 'why')
      .option(dbOption, dbHelp)
      .option('--json', 'print JSON')
      .action(
        async (
          ref: string,
          o: { operator: string; leg?: string; reason?: string; database?: string; json?: boolean },
        ) =>
          run(o.database, async (s) => {
            const v: Viewer = { party: 'cli', kind: 'operator', operators: [o.operator] };
            print(
              o.json,
              await s.answer(v, ref, {
                accept: action === 'confirm',
                seq: o.leg === undefined ? undefined : Number(o.leg),
                reason: o.reason ?? null,
              }),
            );
          }),
      );
  }

  cmd
    .command('cancel <reference>')
    .description('cancel a booking (before or after confirmation) and release its slots')
    .option('--reason <text>', 'why')
    .option(dbOption, dbHelp)
    .option('--json', 'print JSON')
    .action(async (ref: string, o: { reason?: string; database?: string; json?: boolean }) =>
      run(o.database, async (s) => {
        const b = await s.get(ADMIN, ref);
        const kind = b.status === 'CONFIRMED' || b.status === 'PENDING_AMENDMENT' ? 'confirmed' : 'request';
        print(o.json, await s.cancel(ADMIN, ref, kind, o.reason ?? null));
      }),
    );

  cmd
    .command('sweep')
    .description('release every hold that has lapsed')
    .option(dbOption, dbHelp)
    .action(async (o: { database?: string }) =>
      run(o.database, async (s) => {
        out(`released the holds of ${await s.sweep()} booking(s)\n`);
      }),
    );
};
