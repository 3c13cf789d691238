import { describe, expect, it } from '@jest/globals';
import { validateAnswers } from '../answers/checkin-answer.rules.js';
import { CheckInPromptInput, PromptType } from '../templates/checkin-prompt.model.js';
import { normalisePrompts } from '../templates/checkin-prompt.rules.js';

const { prompts } = normalisePrompts([
  { key: 'energy', label: 'Energy', type: PromptType.SCALE, required: true },
  { key: 'early', label: 'Started early?', type: PromptType.YES_NO, required: true },
  { key: 'notes', label: 'Notes', type: PromptType.TEXT, required: false, maxLength: 10 },
  { key: 'calls', label: 'Calls', type: PromptType.NUMBER, required: false, numberMin: 0, numberMax: 100 },
  { key: 'focus', label: 'Focus', type: PromptType.CHOICE, required: false, options: ['A', 'B', 'C'] },
  { key: 'tags', label: 'Tags', type: PromptType.CHOICE, required: false, options: ['x', 'y'], allowMultiple: true },
] as CheckInPromptInput[]);

const fields = (answers: Parameters<typeof validateAnswers>[1]) => validateAnswers(prompts, answers).problems.map((p) => p.field);
const base = [
  { key: 'energy', scale: 7 },
  { key: 'early', yesNo: false },
];

describe('validateAnswers', () => {
  it('accepts answers of the right type and range and keeps their values', () => {
    const { values, problems } = validateAnswers(prompts, [
      ...base,
      { key: 'notes', text: '  fine  ' },
      { key: 'calls', number: 12.5 },
      { key: 'focus', choices: ['B'] },
      { key: 'tags', choices: ['x', 'y'] },
    ]);
    expect(problems).toEqual([]);
    expect(Object.fromEntries(values)).toEqual({ energy: 7, early: false, notes: 'fine', calls: 12.5, focus: ['B'], tags: ['x', 'y'] });
  });

  it('reports missing required answers, and blank text counts as none', () => {
    expect(fields([{ key: 'energy', scale: 5 }])).toEqual(['answers.early']);
    expect(fields([...base, { key: 'notes', text: '   ' }])).toEqual([]);
  });

  it('rejects wrong types, ranges, options and keys', () => {
    expect(fields([{ key: 'energy', scale: 11 }, base[1]])).toEqual(['answers[0].scale']);
    expect(fields([{ key: 'energy', text: 'seven' }, base[1]])).toEqual(['answers[0].text']);
    expect(fields([...base, { key: 'notes', text: 'x'.repeat(11) }])).toEqual(['answers[2].text']);
    expect(fields([...base, { key: 'calls', number: -1 }])).toEqual(['answers[2].number']);
    expect(fields([...base, { key: 'focus', choices: ['D'] }])).toEqual(['answers[2].choices']);
    expect(fields([...base, { key: 'focus', choices: ['A', 'B'] }])).toEqual(['answers[2].choices']);
    expect(fields([...base, { key: 'tags', choices: ['x', 'x'] }])).toEqual(['answers[2].choices']);
    expect(fields([...base, { key: 'mood', scale: 3 }])).toEqual(['answers[2].key']);
    expect(fields([...base, { key: 'energy', scale: 3 }])).toEqual(['answers[2].key']);
  });
});
