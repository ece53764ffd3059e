ALTER TABLE "search_pages" ALTER COLUMN "raw" SET DATA TYPE text;--> statement-breakpoint
-- Raw pages are large and written once: lz4 compresses them several times faster than the
-- default pglz. Servers built without lz4 (and PGlite) keep the default.
DO $$
BEGIN
  ALTER TABLE "search_pages" ALTER COLUMN "raw" SET COMPRESSION lz4;
EXCEPTION WHEN feature_not_supported OR invalid_parameter_value THEN
  NULL;
END
$$;
