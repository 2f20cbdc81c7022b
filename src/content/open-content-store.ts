import type { ContentStore } from "./content-store";
import { EmbeddedContentStore } from "./embedded-store";
import { IpfsContentStore } from "./ipfs-store";

/** The configured content store: an IPFS node's RPC API when given, else the embedded store in `dir`. */
export function openContentStore(options: { ipfsApiUrl?: string; dir: string }): ContentStore {
  return options.ipfsApiUrl ? new IpfsContentStore({ url: options.ipfsApiUrl }) : new EmbeddedContentStore(options.dir);
}
