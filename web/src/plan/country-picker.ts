/** "Avoid countries": chips for ISO 3166-1 alpha-2 codes, picked by name or code. */
import { h } from '../dom';
import { countryName } from '../format';
import { combobox, type Suggestion } from './combobox';

export interface CountryPicker {
  root: HTMLElement;
  value(): string[];
  set(codes: string[]): void;
  setKnown(codes: string[]): void;
}

export function countryPicker(label: string, onChange: () => void = () => undefined): CountryPicker {
  let codes: string[] = [];
  let known: string[] = [];
  const chips = h('ul', { class: 'chips', 'aria-label': `${label}: selected` });

  const matches = (text: string): Suggestion[] => {
    const t = text.trim().toLowerCase();
    return known
      .filter((c) => !codes.includes(c))
      .map((c) => ({ code: c, name: countryName(c) }))
      .filter(({ code, name }) => code.toLowerCase() === t || name.toLowerCase().includes(t))
      .sort(
        (a, b) =>
          Number(b.code.toLowerCase() === t) - Number(a.code.toLowerCase() === t) || a.name.localeCompare(b.name),
      )
      .slice(0, 8)
      .map(({ code, name }) => ({ value: code, label: name, detail: code }));
  };

  const add = (code: string) => {
    const c = code.toUpperCase();
    if (!/^[A-Z]{2}$/.test(c) || codes.includes(c)) return;
    codes = [...codes, c];
    draw();
    onChange();
  };
  const combo = combobox({
    label,
    name: 'avoid',
    placeholder: 'Country name or code, e.g. Russia or RU',
    required: false,
    suggest: async (text) => matches(text),
    onPick: (s) => {
      add(s.value);
      combo.set('');
    },
  });
  combo.input.addEventListener('keydown', (e) => {
    if (e.key !== 'Enter' || e.defaultPrevented) return;
    const text = combo.value();
    if (!text) return;
    e.preventDefault();
    const m = matches(text);
    const exact =
      m.find((s) => s.value.toLowerCase() === text.toLowerCase() || s.label.toLowerCase() === text.toLowerCase()) ??
      (m.length === 1 ? m[0] : undefined);
    if (exact) {
      add(exact.value);
      combo.set('');
    } else if (/^[a-z]{2}$/i.test(text) && countryName(text.toUpperCase()) !== text.toUpperCase()) {
      add(text);
      combo.set('');
    } else combo.setError(`"${text}" is not a country on this network; type a name or a two-letter ISO code.`);
  });

  function draw() {
    chips.replaceChildren(
      ...codes.map((c) =>
        h(
          'li',
          { class: 'chip' },
          h('span', {}, `${countryName(c)} `, h('span', { class: 'chip-code' }, c)),
          h(
            'button',
            {
              type: 'button',
              class: 'chip-remove',
              'aria-label': `Remove ${countryName(c)}`,
              onclick: () => {
                codes = codes.filter((x) => x !== c);
                draw();
                onChange();
                combo.input.focus();
              },
            },
            '×',
          ),
        ),
      ),
    );
    chips.hidden = codes.length === 0;
  }
  draw();
  combo.root.insertBefore(chips, combo.root.querySelector('.combo-box'));
  return {
    root: combo.root,
    value: () => [...codes],
    set(next) {
      codes = [...new Set(next.map((c) => c.toUpperCase()))];
      draw();
    },
    setKnown(list) {
      known = [...new Set(list)].sort();
    },
  };
}
