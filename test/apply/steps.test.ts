/**
 * The steps of one plan row, driven from a table without a server: each case gives what Graph
 * answers to each step (a PATCH's outcome, or what a fresh read shows) and expects the steps
 * taken and the row's outcome. A lost answer is always followed by a read, and the outcome is
 * what the read shows.
 */
import { type Command, type Feedback, type Final, type RowPlan, moveBackOnly, rowSteps } from '../../lib/apply/steps';
import type { LiveUser, GraphAnswer } from '../../lib/apply/users';

const OLD = 'obuYFgOBX0SiXlsNzgwx/w==';
const NEW = '+pi7oYEDRF+iXlsNzgwx/w==';
const UPN = 'carol.clark@contoso.com';
const STAGING = 'carol.clark@contoso.onmicrosoft.com';

const flip: RowPlan = { currentUpn: UPN, stagingUpn: STAGING, target: NEW, flip: true };
const plain: RowPlan = { ...flip, stagingUpn: '', flip: false };
const user = (upn: string, id: string | null): LiveUser => ({ id: 'c1', userPrincipalName: upn, onPremisesImmutableId: id, onPremisesSyncEnabled: null });

const ok: GraphAnswer = { ok: true, status: 204, code: '', message: '', requestId: 'r-ok' };
const lost: GraphAnswer = { ok: false, status: 0, code: 'NoResponse', message: 'fetch failed', requestId: '' };
const gateway: GraphAnswer = { ok: false, status: 504, code: 'UnknownError', message: 'Gateway timeout.', requestId: 'r-504' };
const throttled: GraphAnswer = { ok: false, status: 429, code: 'TooManyRequests', message: 'Too many requests', requestId: 'r-429' };
const conflict: GraphAnswer = { ok: false, status: 400, code: 'Request_BadRequest', message: 'Another object with the same value for property onPremisesImmutableId already exists.', requestId: 'r-400' };

type Answer = GraphAnswer | { reads: LiveUser | undefined };

/** Runs the steps, answering each PATCH or read from `answers` in order; returns the steps as text and the outcome. */
function drive(steps: Generator<Command, Final, Feedback>, answers: Answer[]): { steps: string[]; final: Final } {
  const taken: string[] = [];
  let feedback: Feedback;
  for (;;) {
    const next = steps.next(feedback);
    if (next.done) {
      expect(answers).toEqual([]);
      return { steps: taken, final: next.value };
    }
    const c = next.value;
    if (c.do === 'journal-staged') {
      taken.push('journal staged');
      feedback = undefined;
      continue;
    }
    const a = answers.shift()!;
    if (c.do === 'patch') {
      taken.push(`patch ${c.step} ${JSON.stringify(c.body)} -> ${(a as GraphAnswer).status}`);
      feedback = { patched: a as GraphAnswer };
    } else {
      const seen = (a as { reads: LiveUser | undefined }).reads;
      taken.push(`read after ${c.after} -> ${seen ? `${seen.userPrincipalName} ${seen.onPremisesImmutableId}` : 'no answer'}`);
      feedback = { read: seen };
    }
  }
}

const outcome = (f: Final) => [f.status, f.after === 'unknown' ? 'unknown' : `${f.after.upn} ${f.after.immutableId}`, f.onStaging ? 'on staging' : 'signed in'];

test.each<[string, RowPlan, LiveUser, boolean, Answer[], string[], string[]]>([
  ['set, answered', plain, user(UPN, OLD), false, [ok], [`patch write {"onPremisesImmutableId":"${NEW}"} -> 204`], ['applied', `${UPN} ${NEW}`, 'signed in']],
  ['set, refused', plain, user(UPN, OLD), false, [conflict], [`patch write {"onPremisesImmutableId":"${NEW}"} -> 400`], ['failed', `${UPN} ${OLD}`, 'signed in']],
  ['set, throttled past every retry: refused, nothing written', plain, user(UPN, OLD), false, [throttled], [`patch write {"onPremisesImmutableId":"${NEW}"} -> 429`], ['failed', `${UPN} ${OLD}`, 'signed in']],
  [
    'set, answer lost after the write: the read says applied',
    plain, user(UPN, OLD), false, [lost, { reads: user(UPN, NEW) }],
    [`patch write {"onPremisesImmutableId":"${NEW}"} -> 0`, `read after write -> ${UPN} ${NEW}`],
    ['applied', `${UPN} ${NEW}`, 'signed in'],
  ],
  [
    'set, 504 and the write did not land',
    plain, user(UPN, OLD), false, [gateway, { reads: user(UPN, OLD) }],
    [`patch write {"onPremisesImmutableId":"${NEW}"} -> 504`, `read after write -> ${UPN} ${OLD}`],
    ['failed', `${UPN} ${OLD}`, 'signed in'],
  ],
  ['set, answer lost and the user cannot be read', plain, user(UPN, OLD), false, [lost, { reads: undefined }], [`patch write {"onPremisesImmutableId":"${NEW}"} -> 0`, 'read after write -> no answer'], ['failed', 'unknown', 'signed in']],
  [
    'federated: staged, written with the UPN moved back',
    flip, user(UPN, OLD), false, [ok, ok],
    [`patch stage {"userPrincipalName":"${STAGING}"} -> 204`, 'journal staged', `patch write {"onPremisesImmutableId":"${NEW}","userPrincipalName":"${UPN}"} -> 204`],
    ['applied', `${UPN} ${NEW}`, 'signed in'],
  ],
  ['federated: the move to staging refused', flip, user(UPN, OLD), false, [conflict], [`patch stage {"userPrincipalName":"${STAGING}"} -> 400`], ['failed', `${UPN} ${OLD}`, 'signed in']],
  [
    'federated: the answer to the move to staging lost, the move landed: carry on',
    flip, user(UPN, OLD), false, [lost, { reads: user(STAGING, OLD) }, ok],
    [`patch stage {"userPrincipalName":"${STAGING}"} -> 0`, `read after stage -> ${STAGING} ${OLD}`, 'journal staged', `patch write {"onPremisesImmutableId":"${NEW}","userPrincipalName":"${UPN}"} -> 204`],
    ['applied', `${UPN} ${NEW}`, 'signed in'],
  ],
  [
    'federated: the answer to the move to staging lost, the move did not land',
    flip, user(UPN, OLD), false, [lost, { reads: user(UPN, OLD) }],
    [`patch stage {"userPrincipalName":"${STAGING}"} -> 0`, `read after stage -> ${UPN} ${OLD}`],
    ['failed', `${UPN} ${OLD}`, 'signed in'],
  ],
  [
    'federated: the answer to the move to staging lost, unreadable: may be on staging',
    flip, user(UPN, OLD), false, [lost, { reads: undefined }],
    [`patch stage {"userPrincipalName":"${STAGING}"} -> 0`, 'read after stage -> no answer'],
    ['failed', 'unknown', 'on staging'],
  ],
  [
    'federated: the final write refused, UPN moved back: rolled back',
    flip, user(UPN, OLD), false, [ok, conflict, ok],
    [`patch stage {"userPrincipalName":"${STAGING}"} -> 204`, 'journal staged', `patch write {"onPremisesImmutableId":"${NEW}","userPrincipalName":"${UPN}"} -> 400`, `patch move-back {"userPrincipalName":"${UPN}"} -> 204`],
    ['rolled-back', `${UPN} ${OLD}`, 'signed in'],
  ],
  [
    'federated: the final write answered lost but landed: applied, never rolled back',
    flip, user(UPN, OLD), false, [ok, lost, { reads: user(UPN, NEW) }],
    [`patch stage {"userPrincipalName":"${STAGING}"} -> 204`, 'journal staged', `patch write {"onPremisesImmutableId":"${NEW}","userPrincipalName":"${UPN}"} -> 0`, `read after write -> ${UPN} ${NEW}`],
    ['applied', `${UPN} ${NEW}`, 'signed in'],
  ],
  [
    'federated: the final write lost and did not land: the UPN is moved back',
    flip, user(UPN, OLD), false, [ok, lost, { reads: user(STAGING, OLD) }, ok],
    [
      `patch stage {"userPrincipalName":"${STAGING}"} -> 204`, 'journal staged', `patch write {"onPremisesImmutableId":"${NEW}","userPrincipalName":"${UPN}"} -> 0`,
      `read after write -> ${STAGING} ${OLD}`, `patch move-back {"userPrincipalName":"${UPN}"} -> 204`,
    ],
    ['rolled-back', `${UPN} ${OLD}`, 'signed in'],
  ],
  [
    'federated: write refused and the move back lost, but it landed',
    flip, user(UPN, OLD), false, [ok, conflict, lost, { reads: user(UPN, OLD) }],
    [
      `patch stage {"userPrincipalName":"${STAGING}"} -> 204`, 'journal staged', `patch write {"onPremisesImmutableId":"${NEW}","userPrincipalName":"${UPN}"} -> 400`,
      `patch move-back {"userPrincipalName":"${UPN}"} -> 0`, `read after move-back -> ${UPN} ${OLD}`,
    ],
    ['rolled-back', `${UPN} ${OLD}`, 'signed in'],
  ],
  [
    'federated: write refused and the move back refused: left on staging, said so',
    flip, user(UPN, OLD), false, [ok, conflict, conflict],
    [`patch stage {"userPrincipalName":"${STAGING}"} -> 204`, 'journal staged', `patch write {"onPremisesImmutableId":"${NEW}","userPrincipalName":"${UPN}"} -> 400`, `patch move-back {"userPrincipalName":"${UPN}"} -> 400`],
    ['failed', `${STAGING} ${OLD}`, 'on staging'],
  ],
  [
    'federated: found on staging by a later run: finished',
    flip, user(STAGING, OLD), true, [ok],
    [`patch write {"onPremisesImmutableId":"${NEW}","userPrincipalName":"${UPN}"} -> 204`],
    ['applied', `${UPN} ${NEW}`, 'signed in'],
  ],
  [
    'federated: found on staging with the target already set: only the UPN goes back',
    flip, user(STAGING, NEW), true, [ok],
    [`patch write {"userPrincipalName":"${UPN}"} -> 204`],
    ['applied', `${UPN} ${NEW}`, 'signed in'],
  ],
])('%s', (_name, row, live, staged, answers, steps, expected) => {
  const run = drive(rowSteps(row, live, staged), answers);
  expect(run.steps).toEqual(steps);
  expect(outcome(run.final)).toEqual(expected);
});

test('a user on its staging UPN with an ImmutableID the plan does not know is only moved back', () => {
  const run = drive(moveBackOnly(flip, user(STAGING, 'other')), [ok]);
  expect(run.steps).toEqual([`patch move-back {"userPrincipalName":"${UPN}"} -> 204`]);
  expect(outcome(run.final)).toEqual(['rolled-back', `${UPN} other`, 'signed in']);
  expect(run.final.message).toBe(
    `the user was on its staging UPN with ImmutableID 'other', which the plan did not expect: the UPN was moved back to ${UPN} and nothing else written; reconcile and plan again`,
  );
});
