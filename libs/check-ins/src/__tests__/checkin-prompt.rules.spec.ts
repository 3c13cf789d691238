import { describe, expect, it } from '@jest/globals';
import { CheckInPromptInput, PromptType } from '../templates/checkin-prompt.model.js';
import { normalisePrompts } from '../templates/checkin-prompt.rules.js';

const prompt = (over: Partial<CheckInPromptInput>): CheckInPromptInput =>
  ({ key: 'q', label: 'Question', type: PromptType.YES_NO, required: true, ...over }) as CheckInPromptInput;
const fields = (inputs: CheckInPromptInput[]) => normalisePrompts(inputs).problems.map((p) => p.field);

describe('normalisePrompts', () => {
  it('fills in defaults per type', () => {
    const { prompts, problems } = normalisePrompts([
      prompt({ key: 'energy', type: PromptType.SCALE, minLabel: ' drained ', maxLabel: 'energised' }),
      prompt({ key: 'notes', type: PromptType.TEXT, required: false }),
      prompt({ key: 'calls', type: PromptType.NUMBER, unit: 'calls', recordsProgress: true }),
      prompt({ key: 'mood', type: PromptType.CHOICE, options: ['good', 'ok', 'bad'] }),
    ]);
    expect(problems).toEqual([]);
    expect(prompts[0]).toMatchObject({ scaleMin: 1, scaleMax: 10, minLabel: 'drained', maxLabel: 'energised' });
    expect(prompts[1]).toMatchObject({ maxLength: 2000, required: false });
    expect(prompts[2]).toMatchObject({ unit: 'calls', recordsProgress: true, numberMin: null });
    expect(prompts[3]).toMatchObject({ options: ['good', 'ok', 'bad'], allowMultiple: false });
  });

  it('names each problem by prompt and field', () => {
    expect(fields([])).toEqual(['prompts']);
    expect(fields([prompt({ key: 'a' }), prompt({ key: 'a' })])).toEqual(['prompts[1].key']);
    expect(fields([prompt({ type: PromptType.SCALE, scaleMin: 5, scaleMax: 5 })])).toEqual(['prompts[0].scaleMax']);
    expect(fields([prompt({ type: PromptType.SCALE, scaleMax: 11 })])).toEqual(['prompts[0].scaleMax']);
    expect(fields([prompt({ type: PromptType.TEXT, maxLength: 5001 })])).toEqual(['prompts[0].maxLength']);
    expect(fields([prompt({ type: PromptType.NUMBER, numberMin: 5, numberMax: 1 })])).toEqual(['prompts[0].numberMax']);
    expect(fields([prompt({ type: PromptType.CHOICE, options: ['only'] })])).toEqual(['prompts[0].options']);
    expect(fields([prompt({ type: PromptType.CHOICE, options: ['Yes', 'yes'] })])).toEqual(['prompts[0].options']);
    expect(fields([prompt({ type: PromptType.YES_NO, options: ['a', 'b'] })])).toEqual(['prompts[0].options']);
    expect(fields([prompt({ type: PromptType.TEXT, recordsProgress: true })])).toEqual(['prompts[0].recordsProgress']);
    expect(fields([prompt({ label: '   ' })])).toEqual(['prompts[0].label']);
  });

  it('caps the number of prompts', () => {
    const many = Array.from({ length: 31 }, (_, i) => prompt({ key: `q${i}` }));
    expect(fields(many)).toEqual(['prompts']);
  });
});
