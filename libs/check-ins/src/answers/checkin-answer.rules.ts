import { type FieldProblem } from '#cairn/shared/graphql';
import { CheckInPrompt, PromptType } from '../templates/checkin-prompt.model.js';
import { CheckInAnswerInput } from './checkin-answer.input.js';

/** A validated answer, as stored: the value in the one field of its prompt's type. */
export type CheckInAnswerValue = string | number | boolean | string[];

/** The answer field that carries each prompt type's value. */
export const VALUE_FIELD: Record<PromptType, Exclude<keyof CheckInAnswerInput, 'key'>> = {
  [PromptType.SCALE]: 'scale',
  [PromptType.YES_NO]: 'yesNo',
  [PromptType.TEXT]: 'text',
  [PromptType.NUMBER]: 'number',
  [PromptType.CHOICE]: 'choices',
};
const VALUE_FIELDS = Object.values(VALUE_FIELD);

const isSet = (value: unknown) => value !== undefined && value !== null;

/**
 * Checks a submission against the template version it was sent with: every answer names a prompt once, has
 * the prompt's type and range, and every required prompt is answered. Blank text counts as no answer.
 */
export function validateAnswers(
  prompts: CheckInPrompt[],
  answers: CheckInAnswerInput[],
): { values: Map<string, CheckInAnswerValue>; problems: FieldProblem[] } {
  const problems: FieldProblem[] = [];
  const values = new Map<string, CheckInAnswerValue>();
  const byKey = new Map(prompts.map((p) => [p.key, p]));
  const problem = (field: string, message: string) => problems.push({ field, messages: [message] });

  answers.forEach((answer, i) => {
    const at = (field: string) => `answers[${i}].${field}`;
    const prompt = byKey.get(answer.key);
    if (!prompt) return problem(at('key'), `no prompt "${answer.key}" in this check-in`);
    if (values.has(prompt.key)) return problem(at('key'), `"${answer.key}" is answered twice`);
    const field = VALUE_FIELD[prompt.type];
    const stray = VALUE_FIELDS.filter((f) => f !== field && isSet(answer[f]));
    if (stray.length) return problem(at(stray[0]), `"${prompt.key}" is a ${prompt.type} prompt: answer it with ${field}`);
    const value = answer[field];
    if (!isSet(value)) return;

    switch (prompt.type) {
      case PromptType.SCALE: {
        const n = value as number;
        if (n < (prompt.scaleMin as number) || n > (prompt.scaleMax as number)) {
          return problem(at('scale'), `"${prompt.key}" takes ${prompt.scaleMin} to ${prompt.scaleMax}`);
        }
        values.set(prompt.key, n);
        return;
      }
      case PromptType.TEXT: {
        const text = (value as string).trim();
        if (text.length > (prompt.maxLength as number)) {
          return problem(at('text'), `"${prompt.key}" takes at most ${prompt.maxLength} characters`);
        }
        if (text) values.set(prompt.key, text);
        return;
      }
      case PromptType.NUMBER: {
        const n = value as number;
        if ((prompt.numberMin !== null && n < prompt.numberMin) || (prompt.numberMax !== null && n > prompt.numberMax)) {
          const range = [prompt.numberMin ?? '−∞', prompt.numberMax ?? '∞'].join(' to ');
          return problem(at('number'), `"${prompt.key}" takes ${range}`);
        }
        values.set(prompt.key, n);
        return;
      }
      case PromptType.CHOICE: {
        const picked = value as string[];
        const unknown = picked.filter((c) => !(prompt.options as string[]).includes(c));
        if (unknown.length) return problem(at('choices'), `"${unknown[0]}" is not an option of "${prompt.key}"`);
        if (new Set(picked).size !== picked.length) return problem(at('choices'), 'an option is picked twice');
        if (!prompt.allowMultiple && picked.length > 1) return problem(at('choices'), `"${prompt.key}" takes one option`);
        if (picked.length) values.set(prompt.key, picked);
        return;
      }
      case PromptType.YES_NO:
        values.set(prompt.key, value as boolean);
        return;
    }
  });

  for (const prompt of prompts) {
    if (prompt.required && !values.has(prompt.key) && !problems.some((p) => p.messages[0].includes(`"${prompt.key}"`))) {
      problem(`answers.${prompt.key}`, `"${prompt.key}" is required`);
    }
  }
  return { values, problems };
}
