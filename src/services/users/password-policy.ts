import { passwordPolicyError } from '../../auth/passwords.ts';
import { validationError } from '../../platform/errors.ts';

/** Throws VALIDATION_ERROR naming `field` when the password breaks the server-side policy. */
export function assertPasswordPolicy(password: string, field = 'password'): void {
  const problem = passwordPolicyError(password);
  if (problem) throw validationError(field, problem);
}
