import { rolesAction } from "../lib/roles.js";
import { consentTask } from "./connection.js";

/** `consent roles`: lists, grants or revokes the EMERGENCY role (break-glass responders). */
export const consentRoles = rolesAction({ contract: "PatientConsent", roles: ["EMERGENCY"] });

export default consentTask(consentRoles);
