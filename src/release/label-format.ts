import { ValidationError } from "../core/errors";

/**
 * The labels a release can print: the Digital Link in a GS1 QR code (svg or png; `qr` is png), the
 * element string (01)(17)(10)(21) in a GS1 DataMatrix as medicine packs carry it (`datamatrix`),
 * or the Digital Link in a DataMatrix (`dl-datamatrix`); each with its human-readable text.
 */
export const LABEL_FORMATS = ["svg", "png", "qr", "datamatrix", "dl-datamatrix"] as const;
export type LabelFormat = (typeof LABEL_FORMATS)[number];

/** The file a label of `format` is written as. */
export function labelExtension(format: LabelFormat): "svg" | "png" {
  return format === "svg" ? "svg" : "png";
}

export function labelFormatOf(value: string): LabelFormat {
  if (!(LABEL_FORMATS as readonly string[]).includes(value)) {
    throw new ValidationError("labels", value, `one of ${LABEL_FORMATS.join(", ")}`);
  }
  return value as LabelFormat;
}
