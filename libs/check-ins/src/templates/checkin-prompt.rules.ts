import { type FieldProblem } from '#cairn/shared/graphql';
import { CheckInPrompt, CheckInPromptInput, PROMPT_LIMITS, PromptType } from './checkin-prompt.model.js';

type TypeField = 'scaleMin' | 'scaleMax' | 'minLabel' | 'maxLabel' | 'maxLength' | 'numberMin' | 'numberMax' | 'unit' | 'recordsProgress' | 'options' | 'allowMultiple';

// Which type-specific fields each prompt type accepts; anything else set is a mistake worth reporting.
const FIELDS_OF: Record<PromptType, TypeField[]> = {
  [PromptType.SCALE]: ['scaleMin', 'scaleMax', 'minLabel', 'maxLabel'],
  [PromptType.YES_NO]: [],
  [PromptType.TEXT]: ['maxLength'],
  [PromptType.NUMBER]: ['numberMin', 'numberMax', 'unit', 'recordsProgress'],
  [PromptType.CHOICE]: ['options', 'allowMultiple'],
};
const ALL_TYPE_FIELDS = Object.values(FIELDS_OF).flat();

/**
 * Checks a template's prompts as a whole and returns them in their stored shape (defaults filled in, text
 * trimmed), or the problems found, each naming `prompts[i].field`.
 */
export function normalisePrompts(inputs: CheckInPromptInput[]): { prompts: CheckInPrompt[]; problems: FieldProblem[] } {
  const problems: FieldProblem[] = [];
  const problem = (field: string, message: string) => problems.push({ field, messages: [message] });
  if (inputs.length === 0 || inputs.length > PROMPT_LIMITS.prompts) {
    problem('prompts', `a template has 1 to ${PROMPT_LIMITS.prompts} prompts`);
  }
  const seen = new Set<string>();
  const prompts = inputs.map((input, i) => {
    const at = (field: string) => `prompts[${i}].${field}`;
    if (seen.has(input.key)) problem(at('key'), `key "${input.key}" is used twice`);
    seen.add(input.key);
    for (const field of ALL_TYPE_FIELDS) {
      if (input[field] !== undefined && input[field] !== null && !FIELDS_OF[input.type].includes(field)) {
        problem(at(field), `${field} does not apply to ${input.type} prompts`);
      }
    }
    const prompt: CheckInPrompt = {
      key: input.key,
      label: input.label.trim(),
      help: input.help?.trim() || null,
      type: input.type,
      required: input.required ?? true,
      scaleMin: null,
      scaleMax: null,
      minLabel: null,
      maxLabel: null,
      maxLength: null,
      numberMin: null,
      numberMax: null,
      unit: null,
      recordsProgress: false,
      options: null,
      allowMultiple: false,
    };
    if (!prompt.label) problem(at('label'), 'label must not be blank');
    switch (input.type) {
      case PromptType.SCALE: {
        prompt.scaleMin = input.scaleMin ?? 1;
        prompt.scaleMax = input.scaleMax ?? 10;
        if (prompt.scaleMin < 0 || prompt.scaleMax > 10 || prompt.scaleMin >= prompt.scaleMax) {
          problem(at('scaleMax'), 'a scale runs from scaleMin to a larger scaleMax within 0–10');
        }
        prompt.minLabel = input.minLabel?.trim() || null;
        prompt.maxLabel = input.maxLabel?.trim() || null;
        break;
      }
      case PromptType.TEXT:
        prompt.maxLength = input.maxLength ?? PROMPT_LIMITS.textDefault;
        if (prompt.maxLength < 1 || prompt.maxLength > PROMPT_LIMITS.textMax) {
          problem(at('maxLength'), `maxLength is 1 to ${PROMPT_LIMITS.textMax}`);
        }
        break;
      case PromptType.NUMBER:
        prompt.numberMin = input.numberMin ?? null;
        prompt.numberMax = input.numberMax ?? null;
        if (prompt.numberMin !== null && prompt.numberMax !== null && prompt.numberMin > prompt.numberMax) {
          problem(at('numberMax'), 'numberMax must not be below numberMin');
        }
        prompt.unit = input.unit?.trim() || null;
        prompt.recordsProgress = input.recordsProgress ?? false;
        break;
      case PromptType.CHOICE: {
        const options = (input.options ?? []).map((o) => o.trim());
        if (options.length < 2 || options.length > PROMPT_LIMITS.options) {
          problem(at('options'), `a choice has 2 to ${PROMPT_LIMITS.options} options`);
        }
        if (options.some((o) => o.length === 0 || o.length > PROMPT_LIMITS.option)) {
          problem(at('options'), `each option has 1 to ${PROMPT_LIMITS.option} characters`);
        }
        if (new Set(options.map((o) => o.toLowerCase())).size !== options.length) {
          problem(at('options'), 'options must differ from one another');
        }
        prompt.options = options;
        prompt.allowMultiple = input.allowMultiple ?? false;
        break;
      }
      case PromptType.YES_NO:
        break;
    }
    return prompt;
  });
  return { prompts, problems };
}
