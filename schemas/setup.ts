// First-run setup: the status the web UI asks for, and the first administrator's creation with
// the one-time setup token the server printed at start. Leaf module: imports nothing from src/.
import { z } from 'zod';
import { CreateUserInputSchema } from './users.ts';

export const SetupStatusSchema = z.object({
  needed: z.boolean().describe('True while the database has no user: /setup can create the first administrator'),
});

const user = CreateUserInputSchema.shape;
export const SetupInputSchema = z
  .object({
    token: z.string().trim().min(1, 'is required').max(200).describe('The setup token printed in the server log at start'),
    username: user.username,
    email: user.email,
    full_name: user.full_name,
    password: user.password,
  })
  .strict();
export type SetupInput = z.infer<typeof SetupInputSchema>;
