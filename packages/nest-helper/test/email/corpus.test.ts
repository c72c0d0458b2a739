import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { HelperHttpError } from '../../src/errors.js';
import { parseMessage } from '../../src/email/parse.js';
import { firstSkipReason, RULE_REASONS } from '../../src/email/skip-rules.js';
import { MAILBOX } from './support.js';

// The loop-prevention corpus: real-world shapes of automatic mail and of people's mail, written
// for this project, each labelled in corpus/manifest.json with the reason it must be skipped for
// (null: it must be answered). See docs/loop-prevention.md.

type Label = 'auto' | 'bounce' | 'list' | 'person';

interface Entry {
  label: Label;
  reason: string | null;
  shape: string;
}

const CORPUS = new URL('./corpus/', import.meta.url);
const manifest = JSON.parse(readFileSync(new URL('manifest.json', CORPUS), 'utf8')) as Record<
  string,
  Entry
>;
const files = readdirSync(CORPUS)
  .filter((name) => name.endsWith('.eml'))
  .sort();

// The Message-IDs of mail this mailbox sent: what the service's outbox lookup would find.
const SENT_MESSAGE_IDS = new Set([
  '<5b0e6f0c-2f4e-4c77-9a51-0d7f3e2c9a10@example.com>',
  '<c1d2e3f4-0a1b-4c2d-8e3f-9a0b1c2d3e4f@example.com>',
]);

type Decision = 'answered' | `skipped(${string})` | 'refused';

/**
 * What the pipeline decides for a message whose sender is authenticated, with the feature on
 * and no earlier message from the sender: only the parser and the loop rules have a say.
 */
async function decide(name: string): Promise<Decision> {
  try {
    const message = await parseMessage(readFileSync(new URL(name, CORPUS)));
    const reason = firstSkipReason(message, {
      mailboxAddress: MAILBOX,
      isOwnMessageId: SENT_MESSAGE_IDS.has(message.messageId),
    });
    return reason === null ? 'answered' : `skipped(${reason})`;
  } catch (error) {
    if (error instanceof HelperHttpError) return 'refused';
    throw error;
  }
}

const expectedDecision = ({ reason }: Entry): Decision =>
  reason === null ? 'answered' : `skipped(${reason})`;

/** Labels × decisions, as printable rows. */
function confusionTable(decisions: Map<string, Decision>): string {
  const counts = new Map<string, number>();
  for (const [name, decision] of decisions) {
    const key = `${manifest[name]!.label.padEnd(8)}${decision}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  const rows = [...counts].sort(([a], [b]) => a.localeCompare(b));
  const width = Math.max(...rows.map(([key]) => key.length));
  return [
    'loop-prevention corpus: label × decision',
    ...rows.map(([key, count]) => `  ${key.padEnd(width)}  ${String(count).padStart(3)}`),
  ].join('\n');
}

describe('the loop-prevention corpus', () => {
  it('labels every message, and has the variety it promises', () => {
    expect(Object.keys(manifest).sort()).toEqual(files);
    const labels = Object.values(manifest).map((entry) => entry.label);
    expect(labels.filter((label) => label !== 'person').length).toBeGreaterThanOrEqual(60);
    expect(labels.filter((label) => label === 'person').length).toBeGreaterThanOrEqual(30);
    // Every rule that reads the message is exercised by some real-world shape.
    const reasons = new Set(Object.values(manifest).map((entry) => entry.reason));
    expect(RULE_REASONS.filter((reason) => !reasons.has(reason))).toEqual([]);
  });

  it('answers no automatic message, refuses none, and answers at least 95 % of people', async () => {
    const decisions = new Map<string, Decision>();
    for (const name of files) decisions.set(name, await decide(name));
    console.log(confusionTable(decisions));

    const of = (wanted: (label: Label) => boolean) =>
      [...decisions].filter(([name]) => wanted(manifest[name]!.label));
    const automatic = of((label) => label !== 'person');
    const people = of((label) => label === 'person');
    expect(automatic.filter(([, decision]) => decision === 'answered')).toEqual([]);
    expect([...decisions].filter(([, decision]) => decision === 'refused')).toEqual([]);
    const answered = people.filter(([, decision]) => decision === 'answered').length;
    expect(answered / people.length).toBeGreaterThanOrEqual(0.95);
  });

  it.each(files.map((name) => [name, manifest[name]?.shape ?? '(unlabelled)'] as const))(
    '%s (%s) gets its expected decision',
    async (name) => {
      expect(await decide(name)).toBe(expectedDecision(manifest[name]!));
    },
  );
});
