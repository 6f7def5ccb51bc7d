// Pure functions behind the machine-learning parts of the pages: when to ask the model for a
// category, whether its answer is worth showing, and the model's metrics as text.
// No DOM and no fetch here, so `node --test tests/js/` can test every function.

/** The API's limits for a task's text (core/schemas.py); longer text is not sent at all. */
export const TITLE_MAX_LENGTH = 200;
export const DESCRIPTION_MAX_LENGTH = 5000;

/** Below this probability a suggestion is more noise than help, so none is shown. */
export const MIN_CONFIDENCE = 0.35;

/** The figures the last training run drew, as `GET /api/ml/figures/<name>.png` serves them. */
export const FIGURES = Object.freeze([
  {
    name: "class_balance",
    caption: "Examples per category in the training data",
    alt: "Bar chart of how many training examples each category has.",
  },
  {
    name: "confusion_matrix",
    caption: "Confusion matrix on the held-out examples",
    alt: "Grid of true categories against predicted ones; the diagonal holds the correct predictions.",
  },
  {
    name: "learning_curve",
    caption: "Learning curve",
    alt: "Macro-F1 on the training folds and on the validation folds as the training set grows.",
  },
]);

/** What the training candidates are, by the name `ml/train.py` gives them. */
const ALGORITHMS = Object.freeze({
  linear: "Logistic regression",
  mlp: "Neural network (MLPClassifier)",
});

/**
 * @param {string} name a candidate's name, e.g. "mlp"
 * @returns {string} what it is, e.g. "Neural network (MLPClassifier)"; unknown names as they are
 */
export function algorithmLabel(name) {
  return Object.hasOwn(ALGORITHMS, name) ? ALGORITHMS[/** @type {keyof ALGORITHMS} */ (name)] : name;
}

/**
 * @typedef {object} PredictBody
 * @property {string} title
 * @property {string} [description]
 */

/**
 * The body of `POST /api/ml/predict` for what the person has typed so far, or null when
 * there is nothing worth asking about (no title yet) or the API would refuse it (too long).
 *
 * @param {string} title
 * @param {string} description
 * @returns {PredictBody | null}
 */
export function predictionRequest(title, description) {
  const cleanTitle = title.trim();
  const cleanDescription = description.trim();
  if (cleanTitle === "" || cleanTitle.length > TITLE_MAX_LENGTH) return null;
  if (cleanDescription.length > DESCRIPTION_MAX_LENGTH) return null;
  return cleanDescription
    ? { title: cleanTitle, description: cleanDescription }
    : { title: cleanTitle };
}

/**
 * @typedef {object} Prediction
 * @property {string} category
 * @property {number} confidence a probability from 0 to 1
 * @property {string} model_version
 */

/**
 * The suggestion to offer, or null: none when the model is unsure, or when the category
 * field already says the same (letters' case aside).
 *
 * @param {Prediction} prediction the API's answer
 * @param {string} currentCategory what the category field holds now
 * @param {number} [minConfidence]
 * @returns {{category: string, confidence: string} | null} confidence as e.g. "82%"
 */
export function suggestionFor(prediction, currentCategory, minConfidence = MIN_CONFIDENCE) {
  if (!(prediction.confidence >= minConfidence)) return null;
  if (prediction.category.toLowerCase() === currentCategory.trim().toLowerCase()) return null;
  return { category: prediction.category, confidence: percent(prediction.confidence, 0) };
}

/**
 * A fraction as a percentage with `decimals` decimals: (0.8934, 1) → "89.3%".
 *
 * @param {number} fraction from 0 to 1
 * @param {number} decimals
 * @returns {string}
 */
export function percent(fraction, decimals) {
  const clamped = Math.min(1, Math.max(0, Number.isFinite(fraction) ? fraction : 0));
  return `${(clamped * 100).toFixed(decimals)}%`;
}

/**
 * @typedef {object} Candidate
 * @property {string} name
 * @property {number} f1_macro_mean
 * @property {number} f1_macro_std
 */

/**
 * @typedef {object} ModelInfo  what `GET /api/ml/model` answers (the parts shown here)
 * @property {string} version
 * @property {string} created_at ISO 8601
 * @property {string} algorithm
 * @property {string[]} categories
 * @property {{accuracy: number, f1_macro: number, cv: Candidate[], train_size: number, test_size: number}} metrics
 */

/**
 * The model's key facts as [term, description] pairs, in the order the dashboard lists them.
 *
 * @param {ModelInfo} info
 * @returns {[string, string][]}
 */
export function modelFacts(info) {
  const { metrics } = info;
  return [
    ["Model", `${algorithmLabel(info.algorithm)}, version ${info.version}`],
    ["Trained", info.created_at.slice(0, 10)],
    ["Categories", info.categories.join(", ")],
    ["Accuracy on held-out tasks", percent(metrics.accuracy, 1)],
    ["Macro-F1 on held-out tasks", metrics.f1_macro.toFixed(3)],
    ["Examples", `${metrics.train_size} to train, ${metrics.test_size} held out`],
  ];
}

/**
 * The cross-validated candidates as table rows, in the order of the API (best first).
 *
 * @param {ModelInfo} info
 * @returns {{name: string, score: string, chosen: boolean}[]} score as "0.837 ± 0.032";
 *   `chosen` marks the candidate that was refitted and saved
 */
export function candidateRows(info) {
  return info.metrics.cv.map((candidate) => ({
    name: algorithmLabel(candidate.name),
    score: `${candidate.f1_macro_mean.toFixed(3)} ± ${candidate.f1_macro_std.toFixed(3)}`,
    chosen: candidate.name === info.algorithm,
  }));
}
