/**
 * What the example signup page tells people next to the consent checkbox. The
 * version is recorded with every consent (CONSENT_WORDING_VERSION), so changing
 * the text means a new version.
 */
export const consentWording = {
  version: 'signup-v1',
  text: 'Yes, send me the emails I picked above. I can unsubscribe at any time with one click.',
} as const;
