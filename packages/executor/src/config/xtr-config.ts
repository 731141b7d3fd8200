import type { InputNames, Overflow } from '@xtr-nx/encoder';
import type { Dtype } from '@xtr-nx/storage';

/** `xtr.config.json`. Paths are relative to the folder holding the file. */
export interface XtrConfig {
  catalog: {
    /** DuckDB file holding the chunk catalog. */
    path: string;
    /** Table or view with the chunks (default `chunks`). */
    table?: string;
    /**
     * Nx target that produces the catalog (`catalog` in the same project, or `project:target`):
     * the index depends on it and its cache key includes that target's outputs.
     */
    target?: string;
    /** DuckDB memory limit while reading the catalog (default `256MB`). */
    memoryLimit?: string;
  };
  encoder?: {
    /** `builtin:hash` (default) or a path to an `.onnx` token encoder. */
    model?: string;
    /** Hugging Face `tokenizer.json` for an `.onnx` model. */
    tokenizer?: string;
    /** Tokens per model input, special tokens included (default 256; bounded by `LIMITS` and the model's positions). */
    maxLength?: number;
    /** Chunks longer than `maxLength`: `window` (default) encodes them in windows, `truncate` drops their tail. */
    overflow?: Overflow;
    /** Tokens consecutive windows share (default 32, at most a quarter of maxLength; 0 to maxLength / 2). */
    stride?: number;
    /** Chunks per onnxruntime call (default 8; 1 for .onnx models of 64 MiB and more). */
    batchSize?: number;
    /** Chunks sorted by length together before batching (default 256, less for long maxLengths). */
    window?: number;
    /** onnxruntime intra-op threads (default: available cores; more than the cores are lowered to them). */
    threads?: number;
    /** Model input names, when they differ from input_ids / attention_mask / token_type_ids. */
    inputs?: InputNames;
    /** Model output with per-token states (default `last_hidden_state`). */
    output?: string;
    /** `.npy` projection matrix applied after the model. */
    projection?: string;
    /** L2-normalise every token vector (default true). */
    normalize?: boolean;
    /** Expected vector width. */
    dim?: number;
  };
  output?: {
    /** Folder that receives the index (default `dist/xtr`). */
    dir?: string;
    /** Element type of the token matrix (default `float16`). */
    dtype?: Dtype;
  };
  /**
   * Build the index in this many shards (Nx caches, shares and distributes each), merged into one
   * index; or `{ count, dir }` to choose where shards and their plan go (default `<output.dir>-shards`).
   */
  shards?: number | { count: number; dir?: string };
  /** The local vector store incremental builds reuse vectors from; `false` turns it off. */
  store?:
    | false
    | {
        /** Store folder (default `node_modules/.cache/xtr-nx/vectors` of the workspace; `XTR_STORE_DIR` wins). */
        dir?: string;
        /** Size bound such as `4GiB`; least recently used vectors are pruned beyond it. */
        maxSize?: string;
      };
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}
