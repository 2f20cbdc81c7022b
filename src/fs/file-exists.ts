import { stat } from "node:fs/promises";

/** Whether something exists at `path` (a missing or unreadable path is simply absent). */
export async function fileExists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}
