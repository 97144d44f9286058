import { escalationLabel, selfCheckDuty } from './duty';
import type { MemberRole, SelfCheckKind } from './selfcheck';

describe('who files a self-check record (selfCheckDuty)', () => {
  it.each<[SelfCheckKind, MemberRole[], MemberRole[], boolean, string]>([
    // Proper roles present: they file, and only they (the owner does not).
    ['daily', ['owner', 'director', 'safety_officer'], ['safety_officer', 'director'], false, '由安全员或总监填报'],
    ['daily', ['owner', 'safety_officer'], ['safety_officer'], false, '由安全员填报'],
    ['daily', ['owner', 'director'], ['director'], false, '由总监填报'],
    ['weekly', ['owner', 'director', 'safety_officer'], ['director', 'safety_officer'], false, '由总监或安全员填报'],
    ['weekly', ['owner', 'safety_officer'], ['safety_officer'], false, '由安全员填报'],
    // A shop whose only member is the owner: the owner is its own 安全员.
    ['daily', ['owner'], ['owner'], true, '由店主填报'],
    ['weekly', ['owner'], ['owner'], true, '由店主填报'],
    // Monthly minutes are the owner's whoever else is there.
    ['monthly', ['owner', 'director', 'safety_officer'], ['owner'], false, '由店主填报'],
    ['monthly', ['owner'], ['owner'], false, '由店主填报'],
    // Nobody who could file yet.
    ['daily', [], [], false, '待安全员或总监加入后填报'],
    ['monthly', ['director'], [], false, '待店主加入后填报'],
  ])('%s with %j → %j (covering %s, "%s")', (kind, present, roles, covering, label) => {
    expect(selfCheckDuty(kind, present)).toEqual({ roles, covering, label });
  });

  it('when roles repeat (several members of one role), then the answer is the same', () => {
    expect(selfCheckDuty('daily', ['owner', 'owner'])).toEqual(selfCheckDuty('daily', ['owner']));
  });
});

describe('handing a failed daily item up (escalationLabel)', () => {
  it.each([
    ['safety_officer', '上报总监和店主'],
    ['director', '上报店主'],
    ['owner', null],
  ] as [MemberRole, string | null][])('%s → %s', (filer, label) => {
    expect(escalationLabel(filer)).toBe(label);
  });
});
