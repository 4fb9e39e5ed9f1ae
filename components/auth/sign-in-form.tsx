"use client";

import { useState } from "react";
import { useRouter } from "next/navigation";
import { signIn } from "next-auth/react";
import { Button } from "@/components/ui/button";
import { useHydrated } from "@/components/ui/use-hydrated";
import { Field } from "@/components/ui/field";
import { Alert } from "@/components/ui/alert";
import { signInErrorMessage } from "./sign-in-errors";

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function SignInForm({ callbackUrl, initialError }: { callbackUrl: string; initialError?: string }) {
  const router = useRouter();
  // Inert until React runs: nothing typed before hydration is lost or submitted natively.
  const hydrated = useHydrated();
  const [email, setEmail] = useState("");
  const [fieldError, setFieldError] = useState<string>();
  const [formError, setFormError] = useState(initialError ? signInErrorMessage(initialError) : undefined);
  const [pending, setPending] = useState(false);

  async function onSubmit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setFormError(undefined);
    if (!EMAIL.test(email.trim())) {
      setFieldError("Enter a valid email address, like you@example.com");
      return;
    }
    setFieldError(undefined);
    setPending(true);
    try {
      const result = await signIn("email", { email: email.trim(), callbackUrl, redirect: false });
      if (!result || result.error) {
        setFormError(signInErrorMessage(result?.error ?? "Default"));
        return;
      }
      router.push(`/signin/check-email?email=${encodeURIComponent(email.trim())}`);
    } catch {
      setFormError(signInErrorMessage("Default"));
    } finally {
      setPending(false);
    }
  }

  return (
    <form onSubmit={onSubmit} noValidate className="space-y-4" aria-describedby={formError ? "signin-error" : undefined}>
      <fieldset disabled={!hydrated} className="space-y-4">
      {formError && (
        <div id="signin-error">
          <Alert tone="error">{formError}</Alert>
        </div>
      )}
      <Field
        label="Work email"
        name="email"
        type="email"
        autoComplete="email"
        required
        value={email}
        onChange={(e) => setEmail(e.target.value)}
        error={fieldError}
        hint="We will email you a link that signs you in. No password."
      />
      <Button type="submit" disabled={pending} className="w-full">
        {pending ? "Sending link…" : "Email me a sign-in link"}
      </Button>
      </fieldset>
    </form>
  );
}
