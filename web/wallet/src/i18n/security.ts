/** Messages of the security screens (passkeys, TOTP, recovery codes, sessions, account recovery, "this wasn't me"). */
export const securityEn = {
  'security.title': 'Security',
};

export type SecurityKey = keyof typeof securityEn;

export const securityJa: Record<SecurityKey, string> = {
  'security.title': 'セキュリティ',
};
