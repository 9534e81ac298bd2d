/**
 * The fields of a job template a user edits: a reusable preset for new jobs. Every field but
 * `name` is optional; an absent field means "not part of this preset".
 */
export interface JobTemplateInput {
  /** 1–100 characters once trimmed; unique among the user's templates, ignoring case. */
  name: string;
  /** At most 200 characters. */
  title?: string;
  /** Provider-specific voice, at most 100 characters. */
  voice?: string;
  /** TTS provider the voice belongs to, at most 64 characters. */
  voiceProvider?: string;
  /** One of the output presets (`youtube`, `tiktok`…). */
  platform?: string;
  /** Image style or theme, at most 100 characters. */
  style?: string;
  /** BCP-47 language tag, at most 35 characters. */
  language?: string;
}

/** A saved job template. Optional fields the user left out are absent, never `undefined`. */
export interface JobTemplate extends JobTemplateInput {
  id: string;
  /** Owner: only this user's calls see it. */
  userId: string;
  /** ISO timestamps. */
  createdAt: string;
  updatedAt: string;
}

/**
 * Template store seam: each user's saved job templates. Every call names the user, and a
 * template of another user does not exist for it (not found, never "forbidden"). The store
 * enforces the rules itself, atomically for one user's templates: values through
 * `checkTemplateInput` (a `ValidationError` naming each field at fault), names unique per user
 * ignoring case, and at most `TEMPLATE_DEFAULTS.maxPerUser` templates per user (both a
 * `ConflictError`).
 */
export interface TemplateStore {
  readonly specificationVersion: 'v1';
  /** The user's templates, sorted by name. */
  list(userId: string): Promise<JobTemplate[]>;
  /** One of the user's templates; throws `NotFoundError` when the user has none with this id. */
  get(userId: string, id: string): Promise<JobTemplate>;
  /** Saves a new template with a new id and returns it. */
  create(userId: string, input: JobTemplateInput): Promise<JobTemplate>;
  /**
   * Replaces every editable field (fields left out of `input` are removed), keeps `id` and
   * `createdAt`, sets `updatedAt`; throws `NotFoundError` for an unknown id.
   */
  replace(userId: string, id: string, input: JobTemplateInput): Promise<JobTemplate>;
  /** Removes a template; false when the user had none with this id. */
  delete(userId: string, id: string): Promise<boolean>;
  /** Releases connections. */
  close?(): Promise<void>;
}
