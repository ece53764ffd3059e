/** Who is calling: the id every campaign and job is owned by. */
export interface AuthenticatedUser {
  userId: string;
}

/**
 * Resolves the caller of a request, or `null` when the request carries no valid credentials
 * (the handler then answers 401). Throwing is treated like `null`.
 */
export type Authenticate = (request: Request) => Promise<AuthenticatedUser | null> | AuthenticatedUser | null;
