-- Trigram indexes for the case-insensitive substring filters on employees (Neon and PGlite offer pg_trgm).
CREATE EXTENSION IF NOT EXISTS pg_trgm;--> statement-breakpoint
CREATE TABLE "employees" (
	"emp_id" integer PRIMARY KEY NOT NULL,
	"emp_name" text NOT NULL,
	"city" text NOT NULL,
	"country" text NOT NULL,
	"emp_dob" date NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "employees_emp_id_positive" CHECK ("employees"."emp_id" >= 1),
	CONSTRAINT "employees_text_lengths" CHECK (length("employees"."emp_name") BETWEEN 1 AND 200 AND length("employees"."city") BETWEEN 1 AND 100 AND length("employees"."country") BETWEEN 1 AND 100)
);
--> statement-breakpoint
CREATE TABLE "notes" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid NOT NULL,
	"title" text NOT NULL,
	"content" text DEFAULT '' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "notes_title_length" CHECK (length("notes"."title") BETWEEN 1 AND 200),
	CONSTRAINT "notes_content_length" CHECK (length("notes"."content") <= 10000)
);
--> statement-breakpoint
ALTER TABLE "notes" ADD CONSTRAINT "notes_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "employees_city_trgm_idx" ON "employees" USING gin (lower("city") gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "employees_country_trgm_idx" ON "employees" USING gin (lower("country") gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "employees_emp_name_idx" ON "employees" USING btree ("emp_name","emp_id");--> statement-breakpoint
CREATE INDEX "employees_emp_dob_idx" ON "employees" USING btree ("emp_dob","emp_id");--> statement-breakpoint
CREATE INDEX "employees_city_idx" ON "employees" USING btree ("city","emp_id");--> statement-breakpoint
CREATE INDEX "employees_country_idx" ON "employees" USING btree ("country","emp_id");--> statement-breakpoint
CREATE INDEX "notes_user_created_idx" ON "notes" USING btree ("user_id","created_at" DESC NULLS LAST,"id" DESC NULLS LAST);