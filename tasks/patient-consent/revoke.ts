import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { revokeConsent } from "../../sdk/patient-consent/index.js";
import { parseAddressOption, parseOptionalAddressOption } from "../lib/options.js";
import { cliAction, colour, formatTable, formatGas } from "../lib/terminal.js";
import { connectPatientConsent } from "./connection.js";

interface RevokeArgs {
  grantee?: string;
  patient?: string;
  from?: string;
  address?: string;
}

/** `consent revoke`: the patient (or a delegate) revokes a grantee's consent at once. */
export default cliAction(async (args: RevokeArgs, hre: HardhatRuntimeEnvironment) => {
  const grantee = parseAddressOption(args.grantee, "--grantee");
  const patientOption = parseOptionalAddressOption(args.patient, "--patient");

  const { consent, signer } = await connectPatientConsent(hre, args);
  const patient = patientOption ?? signer.address;
  const result = await revokeConsent(consent, patient, grantee);

  console.log(colour.green(`revoked consent ${result.consentId}`));
  console.log(
    formatTable(
      ["field", "value"],
      [
        ["patient", patient],
        ["grantee", grantee],
        ["revoked by", signer.address],
        ["gas", formatGas(result.gasUsed)],
        ["transaction", result.transactionHash],
      ],
    ),
  );
});
