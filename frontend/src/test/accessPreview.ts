import type { AccessPreview } from "../api/accessPreview";

/** An access preview answer: nothing changes unless the overrides say so. */
export function accessPreview(overrides: Partial<AccessPreview> = {}): AccessPreview {
  return {
    documents_gained: 0,
    people_gained: 0,
    documents_lost: 0,
    people_lost: 0,
    example_documents_gained: [],
    example_people_gained: [],
    example_documents_lost: [],
    example_people_lost: [],
    additions_known_after_sync: false,
    ...overrides,
  };
}
