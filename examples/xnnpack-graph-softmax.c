// twopass inside an XNNPACK graph.
//
// XNNPACK's subgraph API has no hook for an outside operator (no custom node,
// in 2022 or today), so a graph that wants twopass's softmax is cut at the
// softmax into XNNPACK runtimes, and twopass runs between them:
//
//   runtime "head":  x      --fully-connected-->  logits    (XNNPACK)
//   twopass:         logits --softmax-->          probs     (twopass)
//   runtime "tail":  probs  --fully-connected-->  y         (XNNPACK)
//
// The runtimes' external values are bound (xnn_setup_runtime) to the very
// buffers twopass reads and writes, so nothing is copied, and the two
// runtimes and twopass share one pthreadpool. Each inference is then three
// calls: xnn_invoke_runtime(head), twopass_run_operator, xnn_invoke_runtime(tail).
//
// The same model built entirely in XNNPACK (xnn_define_softmax between the
// two fully-connected nodes) checks the result: the program exits non-zero
// when the two disagree by more than the softmax error bounds allow.
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pthreadpool.h>
#include <twopass.h>
#include <xnnpack.h>

enum {
  BATCH = 4,
  INPUTS = 64,     // features
  CLASSES = 1000,  // the softmax runs over these
  OUTPUTS = 16,
};

// External value ids of every subgraph: 0 = its input, 1 = its output.
enum { INPUT_ID = 0, OUTPUT_ID = 1, EXTERNAL_IDS = 2 };

// Model weights and buffers. XNNPACK may read XNN_EXTRA_BYTES past the end of
// an input it is given, so inputs get that much slack.
#define SLACK (XNN_EXTRA_BYTES / sizeof(float))
static float w1[CLASSES * INPUTS], b1[CLASSES];
static float w2[OUTPUTS * CLASSES], b2[OUTPUTS];
static float x[BATCH * INPUTS + SLACK];
static float logits[BATCH * CLASSES];  // head output = twopass input
static float probs[BATCH * CLASSES + SLACK];  // twopass output = tail input
static float y[BATCH * OUTPUTS];
static float y_reference[BATCH * OUTPUTS];

static uint32_t rng_state = 12345;
static float random_uniform(float min, float max) {  // deterministic LCG
  rng_state = rng_state * 1664525u + 1013904223u;
  return min + (max - min) * (float) (rng_state >> 8) / 16777216.0f;
}

#define CHECK(call)                                                                 \
  do {                                                                              \
    const enum xnn_status check_status = (call);                                    \
    if (check_status != xnn_status_success) {                                       \
      fprintf(stderr, "%s:%d: %s failed: status %d\n", __FILE__, __LINE__, #call,    \
              (int) check_status);                                                  \
      exit(EXIT_FAILURE);                                                           \
    }                                                                               \
  } while (0)

// A [BATCH, channels] fp32 tensor: external (id) or internal (XNN_INVALID_VALUE_ID).
static uint32_t define_activation(xnn_subgraph_t subgraph, size_t channels, uint32_t external_id,
                                  uint32_t flags) {
  const size_t dims[2] = {BATCH, channels};
  uint32_t id = XNN_INVALID_VALUE_ID;
  CHECK(xnn_define_tensor_value(subgraph, xnn_datatype_fp32, 2, dims, NULL, external_id, flags,
                                &id));
  return id;
}

// output = input * weights^T + bias, with static weights [out, in] and bias [out].
static void define_fully_connected(xnn_subgraph_t subgraph, uint32_t input_id, uint32_t output_id,
                                   size_t inputs, size_t outputs, const float* weights,
                                   const float* bias) {
  const size_t weights_dims[2] = {outputs, inputs};
  const size_t bias_dims[1] = {outputs};
  uint32_t weights_id = XNN_INVALID_VALUE_ID, bias_id = XNN_INVALID_VALUE_ID;
  CHECK(xnn_define_tensor_value(subgraph, xnn_datatype_fp32, 2, weights_dims, weights,
                                XNN_INVALID_VALUE_ID, 0, &weights_id));
  CHECK(xnn_define_tensor_value(subgraph, xnn_datatype_fp32, 1, bias_dims, bias,
                                XNN_INVALID_VALUE_ID, 0, &bias_id));
  CHECK(xnn_define_fully_connected(subgraph, -INFINITY, INFINITY, input_id, weights_id, bias_id,
                                   output_id, 0));
}

// A runtime of one fully-connected layer: external input -> external output.
static xnn_runtime_t create_fully_connected_runtime(size_t inputs, size_t outputs,
                                                    const float* weights, const float* bias,
                                                    pthreadpool_t threadpool) {
  xnn_subgraph_t subgraph = NULL;
  CHECK(xnn_create_subgraph(EXTERNAL_IDS, 0, &subgraph));
  const uint32_t input_id =
      define_activation(subgraph, inputs, INPUT_ID, XNN_VALUE_FLAG_EXTERNAL_INPUT);
  const uint32_t output_id =
      define_activation(subgraph, outputs, OUTPUT_ID, XNN_VALUE_FLAG_EXTERNAL_OUTPUT);
  define_fully_connected(subgraph, input_id, output_id, inputs, outputs, weights, bias);
  xnn_runtime_t runtime = NULL;
  CHECK(xnn_create_runtime_v2(subgraph, threadpool, 0, &runtime));
  CHECK(xnn_delete_subgraph(subgraph));  // the runtime does not need it
  return runtime;
}

// The whole model in XNNPACK: x -> fully-connected -> softmax -> fully-connected -> y.
static xnn_runtime_t create_reference_runtime(pthreadpool_t threadpool) {
  xnn_subgraph_t subgraph = NULL;
  CHECK(xnn_create_subgraph(EXTERNAL_IDS, 0, &subgraph));
  const uint32_t input_id =
      define_activation(subgraph, INPUTS, INPUT_ID, XNN_VALUE_FLAG_EXTERNAL_INPUT);
  const uint32_t logits_id = define_activation(subgraph, CLASSES, XNN_INVALID_VALUE_ID, 0);
  const uint32_t probs_id = define_activation(subgraph, CLASSES, XNN_INVALID_VALUE_ID, 0);
  const uint32_t output_id =
      define_activation(subgraph, OUTPUTS, OUTPUT_ID, XNN_VALUE_FLAG_EXTERNAL_OUTPUT);
  define_fully_connected(subgraph, input_id, logits_id, INPUTS, CLASSES, w1, b1);
  CHECK(xnn_define_softmax(subgraph, logits_id, probs_id, 0));
  define_fully_connected(subgraph, probs_id, output_id, CLASSES, OUTPUTS, w2, b2);
  xnn_runtime_t runtime = NULL;
  CHECK(xnn_create_runtime_v2(subgraph, threadpool, 0, &runtime));
  CHECK(xnn_delete_subgraph(subgraph));
  return runtime;
}

// y and y_reference differ only through the softmax: twopass and XNNPACK are
// each within ~1e-5 relative error per probability, so
// |y_i - y_reference_i| <= sum_j |w2_ij| * |probs_j - probs_ref_j|
//                      <= 3e-5 * sum_j |w2_ij| * probs_j   (+ rounding of the sums).
static int compare(int inference) {
  int failures = 0;
  double worst = 0.0;
  for (size_t n = 0; n < BATCH; n++) {
    for (size_t i = 0; i < OUTPUTS; i++) {
      double magnitude = fabs((double) b2[i]);
      for (size_t j = 0; j < CLASSES; j++) {
        magnitude += fabs((double) w2[i * CLASSES + j]) * (double) probs[n * CLASSES + j];
      }
      const double difference = fabs((double) y[n * OUTPUTS + i] - y_reference[n * OUTPUTS + i]);
      const double tolerance = 3e-5 * magnitude + 1e-6;
      if (difference / tolerance > worst) {
        worst = difference / tolerance;
      }
      if (!(difference <= tolerance)) {
        if (failures++ < 5) {
          fprintf(stderr, "inference %d, row %zu, output %zu: twopass graph %.9g, XNNPACK graph %.9g\n",
                  inference, n, i, y[n * OUTPUTS + i], y_reference[n * OUTPUTS + i]);
        }
      }
    }
  }
  printf("inference %d: largest |difference| / tolerance = %.3f%s\n", inference, worst,
         failures ? " (FAILED)" : "");
  return failures;
}

int main(void) {
  // Weights: logits spread over several units, so the softmax is not flat.
  for (size_t i = 0; i < CLASSES * INPUTS; i++) w1[i] = random_uniform(-0.5f, 0.5f);
  for (size_t i = 0; i < CLASSES; i++) b1[i] = random_uniform(-1.0f, 1.0f);
  for (size_t i = 0; i < OUTPUTS * CLASSES; i++) w2[i] = random_uniform(-1.0f, 1.0f);
  for (size_t i = 0; i < OUTPUTS; i++) b2[i] = random_uniform(-0.1f, 0.1f);

  CHECK(xnn_initialize(NULL));
  // One pool for everything: both runtimes and twopass (0 = one thread per core).
  pthreadpool_t threadpool = pthreadpool_create(0);

  // The model cut at the softmax: head runtime, twopass, tail runtime, bound
  // to shared buffers once.
  xnn_runtime_t head = create_fully_connected_runtime(INPUTS, CLASSES, w1, b1, threadpool);
  xnn_runtime_t tail = create_fully_connected_runtime(CLASSES, OUTPUTS, w2, b2, threadpool);
  const struct xnn_external_value head_values[2] = {{INPUT_ID, x}, {OUTPUT_ID, logits}};
  const struct xnn_external_value tail_values[2] = {{INPUT_ID, probs}, {OUTPUT_ID, y}};
  CHECK(xnn_setup_runtime(head, 2, head_values));
  CHECK(xnn_setup_runtime(tail, 2, tail_values));

  twopass_operator_t softmax = NULL;
  CHECK(twopass_create_softmax_nc_f32(/*beta=*/1.0f, /*flags=*/0, &softmax));
  CHECK(twopass_reshape_softmax_nc_f32(softmax, CLASSES, CLASSES, CLASSES, BATCH, threadpool));
  CHECK(twopass_setup_softmax_nc_f32(softmax, logits, probs));

  // The same model entirely in XNNPACK.
  xnn_runtime_t reference = create_reference_runtime(threadpool);
  const struct xnn_external_value reference_values[2] = {{INPUT_ID, x}, {OUTPUT_ID, y_reference}};
  CHECK(xnn_setup_runtime(reference, 2, reference_values));

  int failures = 0;
  for (int inference = 0; inference < 3; inference++) {
    // New input in the bound buffer; no setup is repeated.
    for (size_t i = 0; i < BATCH * INPUTS; i++) x[i] = random_uniform(-2.0f, 2.0f);

    CHECK(xnn_invoke_runtime(head));                    // x -> logits
    CHECK(twopass_run_operator(softmax, threadpool));   // logits -> probs
    CHECK(xnn_invoke_runtime(tail));                    // probs -> y

    CHECK(xnn_invoke_runtime(reference));               // x -> y_reference
    failures += compare(inference);
  }

  CHECK(twopass_delete_operator(softmax));
  CHECK(xnn_delete_runtime(head));
  CHECK(xnn_delete_runtime(tail));
  CHECK(xnn_delete_runtime(reference));
  pthreadpool_destroy(threadpool);
  CHECK(xnn_deinitialize());
  if (failures != 0) {
    fprintf(stderr, "%d outputs differ between the twopass graph and the XNNPACK graph\n",
            failures);
    return EXIT_FAILURE;
  }
  printf("twopass between XNNPACK runtimes matches the XNNPACK graph\n");
  return EXIT_SUCCESS;
}
