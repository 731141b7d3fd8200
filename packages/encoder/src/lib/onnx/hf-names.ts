/**
 * The tensor names Hugging Face gives a token encoder, which its ONNX exporters (optimum,
 * `torch.onnx.export` of a transformers model) keep: what the encoder feeds and reads unless
 * `encoder.inputs` or `encoder.output` name others.
 */
export const HF_INPUT_NAMES = {
  inputIds: 'input_ids',
  attentionMask: 'attention_mask',
  tokenTypeIds: 'token_type_ids',
} as const;

/** The output holding one state per token, `[batch, tokens, width]`. */
export const LAST_HIDDEN_STATE = 'last_hidden_state';
