import { describe, expect, it } from 'vitest';
import { demoData } from '../demo/demo-data';
import { canActForCollective, canReadParty, COLLECTIVE_MSP, isRegulator, ledgerIdentityFor, type AuthUser } from './identity';

const musicOperator: AuthUser = { id: 'u1', username: 'music-operator', role: 'operator', collectiveId: 'MCSC', mspId: 'MusicCmoMSP' };
const avOperator: AuthUser = { id: 'u2', username: 'av-operator', role: 'operator', collectiveId: 'CAVCA', mspId: 'AvCmoMSP' };
const regulator: AuthUser = { id: 'u3', username: 'regulator', role: 'regulator', mspId: 'RegulatorMSP' };
const member: AuthUser = { id: 'u4', username: 'member-MCSC-M001', role: 'member', collectiveId: 'MCSC', partyId: 'MCSC-M001' };
const licensee: AuthUser = { id: 'u5', username: 'licensee-CAVCA-L017', role: 'licensee', collectiveId: 'CAVCA', partyId: 'CAVCA-L017' };

describe('ledgerIdentityFor', () => {
  it('operators act with their collective MSP as operator', () => {
    expect(ledgerIdentityFor(musicOperator)).toEqual({ mspId: 'MusicCmoMSP', role: 'operator', user: 'music-operator' });
    expect(ledgerIdentityFor(avOperator)).toEqual({ mspId: 'AvCmoMSP', role: 'operator', user: 'av-operator' });
  });

  it('the regulator acts with RegulatorMSP as regulator', () => {
    expect(ledgerIdentityFor(regulator)).toEqual({ mspId: 'RegulatorMSP', role: 'regulator', user: 'regulator' });
  });

  it('members and licensees write through their collective, named by party', () => {
    expect(ledgerIdentityFor(member)).toEqual({ mspId: 'MusicCmoMSP', role: 'operator', user: 'member:MCSC-M001' });
    expect(ledgerIdentityFor(licensee)).toEqual({ mspId: 'AvCmoMSP', role: 'operator', user: 'licensee:CAVCA-L017' });
  });

  it('refuses accounts missing what their role needs', () => {
    expect(() => ledgerIdentityFor({ ...musicOperator, collectiveId: 'NOPE' })).toThrow(/no known collective/);
    expect(() => ledgerIdentityFor({ ...member, partyId: undefined })).toThrow(/no party id/);
  });

  it('maps collectives to the MSPs the demo data registers', () => {
    const fromDemo = Object.fromEntries(demoData().collectives.map((c) => [c.collectiveId, c.mspId]));
    expect({ ...COLLECTIVE_MSP }).toEqual(fromDemo);
  });
});

describe('record-level access', () => {
  it('canReadParty: the party itself, its collective operators and the regulator', () => {
    expect(canReadParty(member, 'MCSC-M001')).toBe(true);
    expect(canReadParty(member, 'MCSC-M002')).toBe(false);
    expect(canReadParty(licensee, 'CAVCA-L017')).toBe(true);
    expect(canReadParty(licensee, 'MCSC-M001')).toBe(false);
    expect(canReadParty(regulator, 'MCSC-M001')).toBe(true);
    expect(canReadParty(musicOperator, 'MCSC-M001', 'MCSC')).toBe(true);
    expect(canReadParty(avOperator, 'MCSC-M001', 'MCSC')).toBe(false);
    // Without the party's collective, an operator is refused rather than guessed.
    expect(canReadParty(musicOperator, 'MCSC-M001')).toBe(false);
    expect(canReadParty(null, 'MCSC-M001')).toBe(false);
  });

  it('canActForCollective: that collective operators only', () => {
    expect(canActForCollective(musicOperator, 'MCSC')).toBe(true);
    expect(canActForCollective(musicOperator, 'CAVCA')).toBe(false);
    expect(canActForCollective(member, 'MCSC')).toBe(false);
    expect(canActForCollective(regulator, 'MCSC')).toBe(false);
    expect(canActForCollective(null, 'MCSC')).toBe(false);
  });

  it('isRegulator', () => {
    expect(isRegulator(regulator)).toBe(true);
    expect(isRegulator(musicOperator)).toBe(false);
    expect(isRegulator(null)).toBe(false);
  });
});
