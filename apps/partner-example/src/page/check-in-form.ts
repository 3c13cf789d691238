import type { CheckInAnswerInput, CheckInFieldsFragment, CheckInPromptFieldsFragment } from '#cairn/sdk';
import { h } from './dom.js';

type Prompt = CheckInPromptFieldsFragment;
type Answer = CheckInFieldsFragment['submissions'][number]['answers'][number];

/** One field per prompt, labelled for screen readers and tests alike; `previous` pre-fills an amendment. */
export function promptField(prompt: Prompt, name: string, previous?: Answer): HTMLElement {
  const helpId = `${name}-help`;
  const help = prompt.help ? h('p', { class: 'help', id: helpId }, prompt.help) : null;
  const title = `${prompt.label}${prompt.required ? ' *' : ''}`;
  const describedBy = prompt.help ? helpId : null;
  switch (prompt.type) {
    case 'SCALE': {
      const min = prompt.scaleMin ?? 1;
      const max = prompt.scaleMax ?? 10;
      const options: HTMLElement[] = [];
      for (let value = min; value <= max; value++) {
        const end = value === min ? prompt.minLabel : value === max ? prompt.maxLabel : null;
        const input = h('input', {
          type: 'radio',
          name,
          value,
          required: prompt.required,
          checked: previous?.scale === value,
        });
        options.push(h('label', {}, input, end ? `${value} (${end})` : String(value)));
      }
      return h('fieldset', { 'aria-describedby': describedBy }, h('legend', {}, title), help, ...options);
    }
    case 'YES_NO':
      return h(
        'fieldset',
        { 'aria-describedby': describedBy },
        h('legend', {}, title),
        help,
        h(
          'label',
          {},
          h('input', {
            type: 'radio',
            name,
            value: 'yes',
            required: prompt.required,
            checked: previous?.yesNo === true,
          }),
          'Yes',
        ),
        h(
          'label',
          {},
          h('input', { type: 'radio', name, value: 'no', checked: previous?.yesNo === false }),
          'No',
        ),
      );
    case 'CHOICE': {
      const type = prompt.allowMultiple ? 'checkbox' : 'radio';
      const chosen = new Set(previous?.choices ?? []);
      const options = (prompt.options ?? []).map((option) =>
        h(
          'label',
          {},
          h('input', {
            type,
            name,
            value: option,
            required: prompt.required && type === 'radio',
            checked: chosen.has(option),
          }),
          option,
        ),
      );
      const hint = prompt.allowMultiple ? h('p', { class: 'help' }, 'Pick any that apply.') : null;
      return h(
        'fieldset',
        { 'aria-describedby': describedBy },
        h('legend', {}, title),
        help,
        hint,
        ...options,
      );
    }
    case 'NUMBER': {
      const input = h('input', {
        type: 'number',
        name,
        id: name,
        step: 'any',
        min: prompt.numberMin,
        max: prompt.numberMax,
        required: prompt.required,
        'aria-describedby': describedBy,
        value: previous?.number ?? null,
      });
      return h(
        'div',
        {},
        h('label', { for: name }, prompt.unit ? `${title} (${prompt.unit})` : title),
        help,
        input,
      );
    }
    case 'TEXT': {
      const area = h('textarea', {
        name,
        id: name,
        rows: 3,
        maxlength: prompt.maxLength,
        required: prompt.required,
        'aria-describedby': describedBy,
      });
      area.value = previous?.text ?? '';
      return h('div', {}, h('label', { for: name }, title), help, area);
    }
    default:
      // A prompt type newer than this page: say so rather than drop it silently.
      return h(
        'p',
        { class: 'error' },
        `${prompt.label}: this app cannot show "${String(prompt.type)}" prompts yet.`,
      );
  }
}

/** The answers in `form` in the API's shape, one per answered prompt (unanswered optional prompts are left out). */
export function readAnswers(
  form: HTMLFormElement,
  prompts: Prompt[],
  nameOf: (p: Prompt) => string,
): CheckInAnswerInput[] {
  const data = new FormData(form);
  const answers: CheckInAnswerInput[] = [];
  for (const prompt of prompts) {
    const values = data.getAll(nameOf(prompt)).map(String);
    const value = values[0];
    if (values.length === 0 || value === '') continue;
    switch (prompt.type) {
      case 'SCALE':
        answers.push({ key: prompt.key, scale: Number(value) });
        break;
      case 'YES_NO':
        answers.push({ key: prompt.key, yesNo: value === 'yes' });
        break;
      case 'CHOICE':
        answers.push({ key: prompt.key, choices: values });
        break;
      case 'NUMBER':
        answers.push({ key: prompt.key, number: Number(value) });
        break;
      case 'TEXT':
        if (value.trim() !== '') answers.push({ key: prompt.key, text: value });
        break;
    }
  }
  return answers;
}

/** An answer as a person reads it. */
export function answerText(prompt: Prompt | undefined, answer: Answer): string {
  if (answer.scale !== null) return String(answer.scale);
  if (answer.yesNo !== null) return answer.yesNo ? 'Yes' : 'No';
  if (answer.number !== null) return prompt?.unit ? `${answer.number} ${prompt.unit}` : String(answer.number);
  if (answer.choices !== null) return answer.choices.join(', ');
  return answer.text ?? '';
}
