-- Row-level security: the second wall of tenant isolation (the first is lib/tenancy/tenant-db.ts).
-- The application queries as "ramparts_app", which owns nothing and cannot bypass RLS. Each
-- request sets the transaction-local settings app.org_id and app.user_id; without them a
-- tenant table shows no rows at all.

DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'ramparts_app') THEN
    CREATE ROLE ramparts_app NOLOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE;
  END IF;
END
$$;

GRANT USAGE ON SCHEMA public TO ramparts_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO ramparts_app;
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO ramparts_app;
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO ramparts_app;
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO ramparts_app;
REVOKE ALL ON TABLE "_prisma_migrations" FROM ramparts_app;

-- The audit log is append-only for the application.
REVOKE UPDATE, DELETE ON TABLE "AuditLog" FROM ramparts_app;

CREATE FUNCTION ramparts_audit_log_is_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  -- Deleting an organization removes its log through the foreign key; nothing else may.
  IF TG_OP = 'DELETE' AND current_setting('ramparts.cascade_org_delete', true) = 'on' THEN
    RETURN OLD;
  END IF;
  RAISE EXCEPTION 'AuditLog is append-only' USING ERRCODE = 'insufficient_privilege';
END
$$;

CREATE TRIGGER "AuditLog_append_only" BEFORE UPDATE OR DELETE ON "AuditLog"
  FOR EACH ROW EXECUTE FUNCTION ramparts_audit_log_is_append_only();

-- Tenant tables: rows visible and writable only inside their organization's context.
DO $$
DECLARE
  t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['Invitation', 'Cluster', 'AgentToken', 'Snapshot', 'SnapshotChunk', 'Finding',
                           'SnapshotLayerScore', 'DailyScore', 'FindingException', 'AuditLog']
  LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format(
      'CREATE POLICY tenant_isolation ON %I USING ("orgId" = current_setting(''app.org_id'', true)) '
      'WITH CHECK ("orgId" = current_setting(''app.org_id'', true))', t);
  END LOOP;
END
$$;

-- A user sees their own memberships in every organization (to list and switch organizations),
-- and all memberships of the organization in context; writes stay inside that organization.
ALTER TABLE "Membership" ENABLE ROW LEVEL SECURITY;
CREATE POLICY membership_read ON "Membership" FOR SELECT
  USING ("orgId" = current_setting('app.org_id', true) OR "userId" = current_setting('app.user_id', true));
CREATE POLICY membership_write ON "Membership" FOR INSERT
  WITH CHECK ("orgId" = current_setting('app.org_id', true));
CREATE POLICY membership_update ON "Membership" FOR UPDATE
  USING ("orgId" = current_setting('app.org_id', true))
  WITH CHECK ("orgId" = current_setting('app.org_id', true));
CREATE POLICY membership_delete ON "Membership" FOR DELETE
  USING ("orgId" = current_setting('app.org_id', true));

-- An organization is visible in its own context and to its members.
ALTER TABLE "Organization" ENABLE ROW LEVEL SECURITY;
CREATE POLICY organization_read ON "Organization" FOR SELECT
  USING (
    id = current_setting('app.org_id', true)
    OR EXISTS (SELECT 1 FROM "Membership" m WHERE m."orgId" = "Organization".id AND m."userId" = current_setting('app.user_id', true))
  );
CREATE POLICY organization_insert ON "Organization" FOR INSERT
  WITH CHECK (id = current_setting('app.org_id', true));
CREATE POLICY organization_update ON "Organization" FOR UPDATE
  USING (id = current_setting('app.org_id', true))
  WITH CHECK (id = current_setting('app.org_id', true));
CREATE POLICY organization_delete ON "Organization" FOR DELETE
  USING (id = current_setting('app.org_id', true));

-- The only cross-tenant reads the application needs, each narrowed to one secret's hash:
-- an agent token (ingest) and an invitation (accepting it before one is a member).
CREATE FUNCTION ramparts_find_agent_token(p_token_hash text)
RETURNS TABLE (id text, org_id text, cluster_id text, revoked_at timestamp(3))
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
  SELECT t.id, t."orgId", t."clusterId", t."revokedAt" FROM "AgentToken" t WHERE t."tokenHash" = p_token_hash
$$;

CREATE FUNCTION ramparts_find_invitation(p_token_hash text)
RETURNS TABLE (id text, org_id text, email text, role "Role", expires_at timestamp(3), accepted_at timestamp(3), revoked_at timestamp(3))
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
  SELECT i.id, i."orgId", i.email, i.role, i."expiresAt", i."acceptedAt", i."revokedAt"
  FROM "Invitation" i WHERE i."tokenHash" = p_token_hash
$$;

REVOKE ALL ON FUNCTION ramparts_find_agent_token(text) FROM PUBLIC;
REVOKE ALL ON FUNCTION ramparts_find_invitation(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ramparts_find_agent_token(text) TO ramparts_app;
GRANT EXECUTE ON FUNCTION ramparts_find_invitation(text) TO ramparts_app;
