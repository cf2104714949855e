import { describe, expect, it } from 'vitest';
import { adminCallerOf, highestRole, roleCovers } from '../../../lib/domain/admin-role.js';

const cognito = (claims: Record<string, unknown>) => ({
  authorizer: { claims },
  identity: { userArn: null, sourceIp: '203.0.113.9' },
});

describe('the caller of an admin route', () => {
  it('is a Cognito user with the highest role its groups claim lists', () => {
    expect(adminCallerOf(cognito({ sub: 'u-1', 'cognito:groups': 'viewer,marketer' }))).toEqual({
      id: 'u-1',
      role: 'marketer',
    });
  });

  it('reads the groups claim in each shape API Gateway hands it over', () => {
    const shapes = ['admin', 'viewer,admin', '[viewer admin]', ['viewer', 'admin']];
    for (const groups of shapes)
      expect(adminCallerOf(cognito({ sub: 'u-1', 'cognito:groups': groups }))?.role).toBe('admin');
  });

  it('ignores groups that name no role, and has no role when none does', () => {
    expect(adminCallerOf(cognito({ sub: 'u-1', 'cognito:groups': 'beta-testers,viewer' }))?.role).toBe(
      'viewer',
    );
    expect(adminCallerOf(cognito({ sub: 'u-1', 'cognito:groups': 'beta-testers' }))).toBeUndefined();
    expect(adminCallerOf(cognito({ sub: 'u-1' }))).toBeUndefined();
  });

  it('is known by its sub alone, never by its email or name', () => {
    const caller = adminCallerOf(
      cognito({ sub: 'u-1', email: 'ann@example.com', name: 'Ann', 'cognito:groups': 'viewer' }),
    );
    expect(caller).toEqual({ id: 'u-1', role: 'viewer' });
  });

  it('is an admin when it signed the request with IAM, known by its ARN', () => {
    expect(
      adminCallerOf({ authorizer: null, identity: { userArn: 'arn:aws:iam::123456789012:user/ops' } }),
    ).toEqual({ id: 'arn:aws:iam::123456789012:user/ops', role: 'admin' });
  });

  it('goes by the user pool’s claims when a context has both', () => {
    expect(
      adminCallerOf({
        authorizer: { claims: { sub: 'u-1', 'cognito:groups': 'viewer' } },
        identity: { userArn: 'arn:aws:iam::123456789012:user/ops' },
      }),
    ).toEqual({ id: 'u-1', role: 'viewer' });
  });

  it('is no one when the context names no one', () => {
    expect(adminCallerOf({ authorizer: null, identity: { userArn: null } })).toBeUndefined();
    expect(adminCallerOf(undefined)).toBeUndefined();
    expect(adminCallerOf({ authorizer: { claims: { sub: 'u-1', 'cognito:groups': 42 } } })).toBeUndefined();
  });
});

describe('roles', () => {
  it('each cover themselves and the ones below, never one above', () => {
    expect(roleCovers('admin', 'viewer')).toBe(true);
    expect(roleCovers('marketer', 'marketer')).toBe(true);
    expect(roleCovers('marketer', 'admin')).toBe(false);
    expect(roleCovers('viewer', 'marketer')).toBe(false);
  });

  it('are told apart from other group names whatever their case', () => {
    expect(highestRole(['Marketer', 'ops'])).toBe('marketer');
    expect(highestRole([])).toBeUndefined();
  });
});
