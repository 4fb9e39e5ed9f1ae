import { describe, expect, it } from "vitest";
import { formErrors } from "./action-errors";

describe("formErrors", () => {
  it("puts a field's message under the field, without the field prefix", () => {
    expect(formErrors({ message: "name: Use lowercase letters", field: "name" }, ["name", "environment"])).toEqual({ name: "Use lowercase letters" });
  });
  it("shows anything else above the form", () => {
    expect(formErrors({ message: "Your role (viewer) does not allow cluster:create" }, ["name"])).toEqual({ form: "Your role (viewer) does not allow cluster:create" });
    expect(formErrors({ message: "other: nope", field: "other" }, ["name"])).toEqual({ form: "other: nope" });
  });
});
