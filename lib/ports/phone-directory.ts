/**
 * Phone number → contact, for inbound SMS. Not a uniqueness rule: two contacts may
 * give the same number (a shared family phone), and the first to claim it keeps it.
 */
export interface PhoneDirectory {
  findIdByPhone(e164: string): Promise<string | undefined>;
  /** Points the number at the contact unless another contact holds it; true when it points at this one. */
  claimPhone(e164: string, contactId: string): Promise<boolean>;
  /**
   * Removes the number's pointer if it points at this contact (the contact gave a new
   * number): every pointer at a contact is then named on its profile, where an erasure finds it.
   */
  releasePhone(e164: string, contactId: string): Promise<void>;
}
