/**
 * next-auth's storage on our schema. Two deliberate differences from the stock Prisma adapter:
 * session tokens are stored only as SHA-256 digests (a database leak yields no live sessions),
 * and OAuth/OIDC tokens are never stored (we only need to know who signed in).
 */
import type { Adapter, AdapterAccount, AdapterUser, AdapterSession } from "next-auth/adapters";
import type { PrismaClient } from "@/lib/db/generated/prisma/client";
import { sha256Hex } from "@/lib/security/hash-token";

const toAdapterUser = (u: { id: string; email: string; name: string | null; image: string | null; emailVerified: Date | null }): AdapterUser => ({
  id: u.id,
  email: u.email,
  name: u.name,
  image: u.image,
  emailVerified: u.emailVerified,
});

export function prismaAuthAdapter(getPrisma: () => Promise<PrismaClient>): Adapter {
  return {
    async createUser(user: Omit<AdapterUser, "id">) {
      const prisma = await getPrisma();
      const created = await prisma.user.create({
        data: { email: user.email.toLowerCase(), name: user.name ?? null, image: user.image ?? null, emailVerified: user.emailVerified },
      });
      return toAdapterUser(created);
    },
    async getUser(id) {
      const user = await (await getPrisma()).user.findUnique({ where: { id } });
      return user ? toAdapterUser(user) : null;
    },
    async getUserByEmail(email) {
      const user = await (await getPrisma()).user.findUnique({ where: { email: email.toLowerCase() } });
      return user ? toAdapterUser(user) : null;
    },
    async getUserByAccount({ provider, providerAccountId }) {
      const account = await (await getPrisma()).account.findUnique({
        where: { provider_providerAccountId: { provider, providerAccountId } },
        include: { user: true },
      });
      return account ? toAdapterUser(account.user) : null;
    },
    async updateUser({ id, ...data }) {
      const user = await (await getPrisma()).user.update({
        where: { id },
        data: { name: data.name, image: data.image, emailVerified: data.emailVerified, ...(data.email ? { email: data.email.toLowerCase() } : {}) },
      });
      return toAdapterUser(user);
    },
    async linkAccount(account: AdapterAccount) {
      await (await getPrisma()).account.create({
        data: { userId: account.userId, type: account.type, provider: account.provider, providerAccountId: account.providerAccountId },
      });
    },
    async createSession({ sessionToken, userId, expires }) {
      await (await getPrisma()).session.create({ data: { sessionTokenHash: sha256Hex(sessionToken), userId, expires } });
      return { sessionToken, userId, expires };
    },
    async getSessionAndUser(sessionToken) {
      const session = await (await getPrisma()).session.findUnique({
        where: { sessionTokenHash: sha256Hex(sessionToken) },
        include: { user: true },
      });
      if (!session) return null;
      const adapterSession: AdapterSession = { sessionToken, userId: session.userId, expires: session.expires };
      return { session: adapterSession, user: toAdapterUser(session.user) };
    },
    async updateSession({ sessionToken, expires }) {
      if (!expires) return null;
      const result = await (await getPrisma()).session.updateMany({ where: { sessionTokenHash: sha256Hex(sessionToken) }, data: { expires } });
      return result.count ? { sessionToken, expires, userId: "" } : null;
    },
    async deleteSession(sessionToken) {
      await (await getPrisma()).session.deleteMany({ where: { sessionTokenHash: sha256Hex(sessionToken) } });
    },
    async createVerificationToken(token) {
      // next-auth hands us the token already hashed with the application secret.
      await (await getPrisma()).verificationToken.create({ data: token });
      return token;
    },
    async useVerificationToken({ identifier, token }) {
      const prisma = await getPrisma();
      // Delete-and-return in one statement: a link works once, even with two clicks at once.
      const rows = await prisma.$queryRaw<{ identifier: string; token: string; expires: Date }[]>`
        DELETE FROM "VerificationToken" WHERE "token" = ${token} AND "identifier" = ${identifier}
        RETURNING "identifier", "token", "expires"`;
      return rows[0] ?? null;
    },
  };
}
