/** A server action's error as the form shows it: under its field when it names one of ours, else above the form. */
export function formErrors<F extends string>(error: { message: string; field?: string }, fields: readonly F[]): Partial<Record<F | "form", string>> {
  const field = error.field?.split(".")[0] as F | undefined;
  if (field && fields.includes(field)) return { [field]: error.message.replace(/^[\w.]+: /, "") } as Partial<Record<F | "form", string>>;
  return { form: error.message } as Partial<Record<F | "form", string>>;
}
