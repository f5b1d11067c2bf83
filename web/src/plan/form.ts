/** The planner form: From, To, ready date, containers, avoided countries, scenario, modes; "Plan". */
import { client, unwrap } from '../api/client';
import type { Place, Scenario } from '../api/types';
import { h, uniqueId } from '../dom';
import { countryName } from '../format';
import { MAX_CONTAINERS, MODES, type ModeName, type PlanQueryState } from '../state';
import { combobox, type Combobox, type Suggestion } from './combobox';
import { countryPicker } from './country-picker';
import { nth } from '../invariant';

const KIND_LABEL: Record<string, string> = {
  city: 'city',
  'rail-terminal': 'rail terminal',
  seaport: 'seaport',
  'dry-port': 'dry port',
  'border-crossing': 'border crossing',
  'gauge-change': 'gauge change',
  junction: 'junction',
};

/** "2.1 M", "464 k": a population as a person reads it (the server's formatPopulation). */
export function formatPopulation(n: number): string {
  if (n >= 1e6) return `${(n / 1e6).toFixed(n >= 1e7 ? 0 : 1)} M`;
  if (n >= 1e4) return `${Math.round(n / 1e3)} k`;
  return n.toLocaleString('en-US');
}

export function placeSuggestion(p: Place): Suggestion {
  if (p.source === 'gazetteer') {
    // A world place: the qualified name resolves to it (the most populous of that name in that country).
    const size = p.population !== undefined ? ` · ${formatPopulation(p.population)} inhabitants` : '';
    return {
      value: `${p.name}, ${p.country}`,
      label: `${p.name}, ${p.country}`,
      detail: `${countryName(p.country)}${size} · door to door by truck`,
    };
  }
  return {
    value: p.name,
    label: p.name,
    detail: `${p.id} · ${countryName(p.country)} · ${KIND_LABEL[p.kind] ?? p.kind}`,
  };
}

async function suggestPlaces(text: string, signal: AbortSignal): Promise<Suggestion[]> {
  const r = await unwrap(
    client.GET('/api/v1/locations', { params: { query: { q: text, limit: '8' } }, signal }),
    'Searching places',
  );
  return r.locations.map(placeSuggestion);
}

export interface PlanForm {
  root: HTMLFormElement;
  from: Combobox;
  to: Combobox;
  read(): PlanQueryState;
  write(s: PlanQueryState): void;
  setScenarios(list: Scenario[]): void;
  setCountries(codes: string[]): void;
  setBusy(busy: boolean): void;
}

export function planForm(onSubmit: (s: PlanQueryState) => void): PlanForm {
  const from = combobox({
    label: 'From',
    name: 'from',
    placeholder: "e.g. Xi'an, Almaty, CNXIA",
    suggest: suggestPlaces,
  });
  const to = combobox({
    label: 'To',
    name: 'to',
    placeholder: 'e.g. Duisburg, Istanbul, DEDUI',
    suggest: suggestPlaces,
  });
  const swap = h(
    'button',
    { type: 'button', class: 'icon-button swap', title: 'Swap From and To', 'aria-label': 'Swap From and To' },
    '⇅',
  );
  swap.addEventListener('click', () => {
    const a = from.value();
    from.set(to.value());
    to.set(a);
  });

  const readyId = uniqueId('ready');
  const ready = h('input', { id: readyId, name: 'ready', type: 'date', min: '2020-01-01', max: '2040-12-31' });
  const contId = uniqueId('containers');
  const containers = h('input', {
    id: contId,
    name: 'containers',
    type: 'number',
    min: 1,
    max: MAX_CONTAINERS,
    step: 1,
    value: 1,
    inputmode: 'numeric',
    required: true,
  });
  const avoid = countryPicker('Avoid countries');
  const scenId = uniqueId('scenario');
  const scenario = h(
    'select',
    { id: scenId, name: 'scenario' },
    h('option', { value: '' }, 'Base network (operational links)'),
  );
  const modeBoxes = MODES.map((m) => h('input', { type: 'checkbox', name: 'modes', value: m, checked: true }));
  const submit = h('button', { type: 'submit', class: 'primary' }, 'Plan');

  const root = h(
    'form',
    { class: 'plan-form', 'aria-label': 'Plan a route', novalidate: true },
    h('div', { class: 'od' }, from.root, swap, to.root),
    h(
      'div',
      { class: 'row' },
      h('div', { class: 'field' }, h('label', { for: readyId }, 'Ready date'), ready),
      h('div', { class: 'field narrow' }, h('label', { for: contId }, "Containers (40')"), containers),
    ),
    avoid.root,
    h('div', { class: 'field' }, h('label', { for: scenId }, 'Scenario'), scenario),
    h(
      'details',
      { class: 'more' },
      h('summary', {}, 'More options'),
      h(
        'fieldset',
        { class: 'modes' },
        h('legend', {}, 'Modes'),
        MODES.map((m, i) => h('label', { class: 'check' }, nth(modeBoxes, i), ` ${m}`)),
      ),
    ),
    h('div', { class: 'actions' }, submit),
  );

  const read = (): PlanQueryState => {
    const n = Number(containers.value);
    const modes = MODES.filter((_, i) => nth(modeBoxes, i).checked);
    return {
      from: from.value(),
      to: to.value(),
      avoid: avoid.value(),
      modes: modes.length === MODES.length ? [] : (modes as ModeName[]),
      ready: ready.value,
      containers: Number.isInteger(n) && n >= 1 && n <= MAX_CONTAINERS ? n : 1,
      scenario: scenario.value,
    };
  };

  root.addEventListener('submit', (e) => {
    e.preventDefault();
    let ok = true;
    for (const [c, name] of [
      [from, 'an origin'],
      [to, 'a destination'],
    ] as const) {
      if (!c.value()) {
        c.setError(`Enter ${name}: a place name, alias or code.`);
        ok = false;
      }
    }
    const n = Number(containers.value);
    if (!(Number.isInteger(n) && n >= 1 && n <= MAX_CONTAINERS)) {
      containers.setCustomValidity(`Enter a whole number from 1 to ${MAX_CONTAINERS}.`);
      containers.reportValidity();
      ok = false;
    } else containers.setCustomValidity('');
    if (MODES.every((_, i) => !nth(modeBoxes, i).checked)) {
      nth(modeBoxes, 0).setCustomValidity('Allow at least one mode.');
      nth(modeBoxes, 0).reportValidity();
      ok = false;
    } else nth(modeBoxes, 0).setCustomValidity('');
    if (!ok) {
      (root.querySelector('[aria-invalid="true"], :invalid') as HTMLElement | null)?.focus();
      return;
    }
    onSubmit(read());
  });

  return {
    root,
    from,
    to,
    read,
    write(s) {
      from.set(s.from);
      to.set(s.to);
      ready.value = s.ready;
      containers.value = String(s.containers);
      avoid.set(s.avoid);
      for (const [i, m] of MODES.entries()) {
        const box = modeBoxes[i];
        if (box) box.checked = s.modes.length === 0 || s.modes.includes(m);
      }
      if (s.modes.length) (root.querySelector('details.more') as HTMLDetailsElement).open = true;
      scenario.value = s.scenario;
      if (scenario.value !== s.scenario) {
        scenario.append(h('option', { value: s.scenario }, s.scenario));
        scenario.value = s.scenario;
      }
    },
    setScenarios(list) {
      const current = scenario.value;
      scenario.replaceChildren(
        h('option', { value: '' }, 'Base network (operational links)'),
        ...list.map((s) => h('option', { value: s.name, title: s.description }, s.title)),
      );
      scenario.value = current;
    },
    setCountries(codes) {
      avoid.setKnown(codes);
    },
    setBusy(busy) {
      submit.disabled = busy;
      submit.textContent = busy ? 'Planning…' : 'Plan';
      root.setAttribute('aria-busy', String(busy));
    },
  };
}
