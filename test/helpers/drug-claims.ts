import type { ClaimsSuite } from "../fixtures/insurance-claim.js";
import { HPAYMT, MEDICATIONS } from "../fixtures/insurance-claim.js";

/**
 * Makes the claims suite's mocks say what a pharmacy's drug claim needs: unit `index` of
 * (`gtin`, `lot`) was dispensed by the suite's pharmacy, and the patient lets the insurer see
 * their medications for payment (HPAYMT).
 *
 * @example
 * await dispensedWithConsent(s, BigInt(GTIN), encodeBytes32String("A1"), 0n);
 */
export async function dispensedWithConsent(
  s: ClaimsSuite,
  gtin: bigint,
  lot: string,
  index: bigint,
): Promise<void> {
  await s.trace.setDispensed(gtin, lot, index, s.pharmacy.address);
  await s.consent.setAuthorization(s.patient.address, s.insurer.address, HPAYMT, true, MEDICATIONS);
}
