/**
 * Short names for the handbook's generated schemas. The routes that send pre-encoded JSON (for their
 * ETags) declare these shapes in the OpenAPI document, so nothing here is written by hand.
 */
import type { components } from './api-types';

type S = components['schemas'];

export type Document = S['Document'];
export type DocumentKind = S['Document']['kind'];
export type SectionSummary = S['SectionSummary'];
export type SearchResults = S['SearchResults'];
export type SearchHit = S['SearchHit'];
export type Acknowledgement = S['Acknowledgement'];

export type SectionRef = S['SectionRef'];
export type OfflineSection = S['OfflineSection'];
export type Section = S['Section'];
export type OfflineDocument = S['OfflineDocument'];
export type OfflineManifest = S['OfflineManifest'];
export type OfflineChanges = S['OfflineChanges'];
