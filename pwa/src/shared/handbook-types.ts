/**
 * The handbook's answers that the OpenAPI document does not describe yet.
 *
 * ListDocuments, GetDocument, GetSection, GetOfflineManifest and GetOfflineChanges send pre-encoded
 * JSON bytes (so the API can ETag them), and the generated types therefore say only `string`. Until
 * the backend declares their schemas, these shapes are put together here from the generated ones,
 * field for field as `api/handbook/schemas.py` defines them (Section, SectionRef, OfflineDocument,
 * OfflineSection, OfflineManifest, OfflineChanges): no field type is written by hand. When the
 * schemas appear in openapi.json, each alias becomes `Schemas['Name']` and this file goes away.
 */
import type { components, operations } from './api-types';

type S = components['schemas'];

export type Document = S['Document'];
export type DocumentKind = S['Document']['kind'];
export type SectionSummary = S['SectionSummary'];
export type SearchResults = S['SearchResults'];
export type SearchHit = S['SearchHit'];
export type Acknowledgement = S['Acknowledgement'];

/** A document's section in order, and the hash of the text an offline copy must have. */
export type SectionRef = Pick<S['SectionSummary'], 'id' | 'position' | 'content_hash'>;

/** GetOfflineChanges' `sections`: a section with its rendered (sanitized) text. */
export type OfflineSection = Pick<
  S['SectionSource'],
  'id' | 'document_id' | 'position' | 'title' | 'body_html' | 'revision' | 'requires_ack'
> &
  Pick<S['SectionSummary'], 'content_hash' | 'ack_hash'>;

/** GetSection's answer. */
export type Section = OfflineSection & Pick<S['Document'], 'updated_at'>;

/** A document as kept offline: its live sections in order; anything else kept for it is stale. */
export type OfflineDocument = Pick<
  S['Document'],
  'id' | 'slug' | 'kind' | 'title' | 'summary' | 'revision' | 'position' | 'requires_ack'
> & { readonly sections: SectionRef[] };

/** Opaque: pass back as `since` to GetOfflineChanges. */
type Cursor = NonNullable<NonNullable<operations['GetOfflineChanges']['parameters']['query']>['since']>;

export interface OfflineManifest {
  readonly cursor: Cursor;
  readonly documents: OfflineDocument[];
}

export interface OfflineChanges {
  readonly cursor: Cursor;
  /** Documents whose title, order or sections changed: their section lists are complete. */
  readonly documents: OfflineDocument[];
  /** Sections written since the cursor, with their text. */
  readonly sections: OfflineSection[];
  readonly removed_documents: Array<S['Document']['id']>;
  readonly removed_sections: Array<S['SectionSummary']['id']>;
}
