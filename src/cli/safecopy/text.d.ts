// Text assets imported `with { type: "text" }` (the safecopy help text) resolve to their content.
declare module "*.txt" {
  const text: string;
  export default text;
}
