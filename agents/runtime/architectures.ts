/**
 * Policy-value network architectures. Every network takes the flat observation tensor
 * [batch, observationSize] (how envs emit it) and has two outputs: action logits
 * [batch, numDistinctActions] and a state value [batch, 1]. Initial weights are a pure
 * function of the seed.
 */
import * as tf from '@tensorflow/tfjs';
import { deriveSeed, sizeOf } from '../../envs/index.ts';
import type { Arch } from './arch-schema.ts';
import { RuntimeError } from './runtime-error.ts';

type Initializer = ReturnType<typeof tf.initializers.varianceScaling>;

/** Layer names of the two heads; learners find the outputs by them. */
export const LOGITS_LAYER = 'policy_logits';
export const VALUE_LAYER = 'value';

/** A fresh, seeded network for observations of this shape. */
export function buildNetwork(observationShape: readonly number[], numActions: number, arch: Arch, seed: number): tf.LayersModel {
  const size = sizeOf(observationShape);
  let layer = 0;
  const init = (scale = 1) =>
    tf.initializers.varianceScaling({
      scale,
      mode: 'fanAvg',
      distribution: 'uniform',
      seed: deriveSeed(seed, layer++),
    });
  const input = tf.input({ shape: [size], name: 'observation' });
  let x: tf.SymbolicTensor = input;
  if (arch.kind === 'conv') x = convTrunk(x, observationShape, arch.channels, init);
  if (arch.kind === 'patch') x = patchTrunk(x, observationShape, arch.kernel, arch.filters, init);
  arch.hidden.forEach((units, i) => {
    x = tf.layers.dense({ units, activation: 'relu', kernelInitializer: init(), name: `dense_${i}` }).apply(x) as tf.SymbolicTensor;
  });
  // Small initial logits keep the first policy near uniform (standard for PPO).
  const logits = tf.layers.dense({ units: numActions, kernelInitializer: init(0.01), name: LOGITS_LAYER }).apply(x) as tf.SymbolicTensor;
  const value = tf.layers.dense({ units: 1, kernelInitializer: init(), name: VALUE_LAYER }).apply(x) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: [logits, value], name: 'policy_value' });
}

/** [C,H,W] planes (the env layout) -> channels-last [H,W,C] -> convolutions -> flat features. */
function convTrunk(input: tf.SymbolicTensor, shape: readonly number[], channels: readonly number[], init: () => Initializer): tf.SymbolicTensor {
  if (shape.length !== 3) {
    throw new RuntimeError(
      'bad-arch',
      `a conv network needs a 3-D [C, H, W] observation, this env's is [${shape.join(', ')}]`,
      'use {kind: "mlp", hidden: [...]} for this env',
    );
  }
  let x = tf.layers.reshape({ targetShape: [...shape], name: 'planes' }).apply(input) as tf.SymbolicTensor;
  x = tf.layers.permute({ dims: [2, 3, 1], name: 'channels_last' }).apply(x) as tf.SymbolicTensor;
  channels.forEach((filters, i) => {
    x = tf.layers
      .conv2d({
        filters,
        kernelSize: 3,
        padding: 'same',
        activation: 'relu',
        kernelInitializer: init(),
        name: `conv_${i}`,
      })
      .apply(x) as tf.SymbolicTensor;
  });
  return tf.layers.flatten({ name: 'features' }).apply(x) as tf.SymbolicTensor;
}

/**
 * A k x k 'valid' convolution without convolution kernels: a frozen 0/1 dense layer copies
 * every window's cells ([C, k, k] each) out of the flat [C, H, W] planes, then one dense
 * layer with shared weights maps each window to `filters` features. Only matMuls, so it
 * trains where conv gradients are missing (wasm).
 */
function patchTrunk(input: tf.SymbolicTensor, shape: readonly number[], kernel: number, filters: number, init: () => Initializer): tf.SymbolicTensor {
  const [channels, height, width] = shape;
  if (shape.length !== 3 || height! < kernel || width! < kernel) {
    throw new RuntimeError(
      'bad-arch',
      `a ${kernel}x${kernel} patch network needs a 3-D [C, H, W] observation of at least ${kernel}x${kernel}, this env's is [${shape.join(', ')}]`,
      'use a smaller kernel, or {kind: "mlp", hidden: [...]} for this env',
    );
  }
  const extract = patchMatrix(channels!, height!, width!, kernel);
  const windows = (height! - kernel + 1) * (width! - kernel + 1);
  const patchSize = channels! * kernel * kernel;
  let x = tf.layers
    .dense({
      units: windows * patchSize,
      useBias: false,
      trainable: false,
      weights: [extract],
      name: 'patches',
    })
    .apply(input) as tf.SymbolicTensor;
  x = tf.layers.reshape({ targetShape: [windows, patchSize], name: 'windows' }).apply(x) as tf.SymbolicTensor;
  x = tf.layers.dense({ units: filters, activation: 'relu', kernelInitializer: init(), name: 'patch_filters' }).apply(x) as tf.SymbolicTensor;
  return tf.layers.flatten({ name: 'features' }).apply(x) as tf.SymbolicTensor;
}

/** [C*H*W, windows*C*k*k]: column (window, c, dy, dx) picks cell (c, y + dy, x + dx) of the window at (y, x). */
export function patchMatrix(channels: number, height: number, width: number, kernel: number): tf.Tensor2D {
  const rowsOut = height - kernel + 1;
  const colsOut = width - kernel + 1;
  const patchSize = channels * kernel * kernel;
  const units = rowsOut * colsOut * patchSize;
  const values = new Float32Array(channels * height * width * units);
  for (let y = 0; y < rowsOut; y++) {
    for (let x = 0; x < colsOut; x++) {
      const window = y * colsOut + x;
      for (let c = 0; c < channels; c++) {
        for (let dy = 0; dy < kernel; dy++) {
          for (let dx = 0; dx < kernel; dx++) {
            const cell = c * height * width + (y + dy) * width + (x + dx);
            const column = window * patchSize + c * kernel * kernel + dy * kernel + dx;
            values[cell * units + column] = 1;
          }
        }
      }
    }
  }
  return tf.tensor2d(values, [channels * height * width, units]);
}
