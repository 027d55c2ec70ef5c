// safecopy 1.7's help text, byte for byte (scripts and users grep it), with the program
// name as invoked, like safecopy's argv[0].
import helpText from "./help.txt" with { type: "text" };

export function usage(program: string): string {
  return helpText.replace("@PROGRAM@", program);
}
