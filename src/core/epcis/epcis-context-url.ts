/** The address of the EPCIS 2.0 JSON-LD context every document this repository writes names. */
export const EPCIS_CONTEXT = "https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld";
