// Scoring new rows with a saved run model (model.json): the same encoding, model and
// calibrator as training, so a later predict run reproduces the training run's scores.

import { LeadliftError, listSome } from '../errors.js';
import { applyCalibrator } from '../models/calibration/index.js';
import { modelFromJson, predictRaw } from '../models/model.js';
import { encodeCodes, encodeOneHot } from './encoding.js';
import type { RunModelFile } from './run-folder.js';
import type { FeatureColumn } from './table.js';

/**
 * Calibrated probabilities of rows given as raw columns (texts or typed) by name (e.g. parsed from
 * a CSV). Throws `models.invalidModelFile` for a damaged model and `train.missingColumn`
 * when a feature column of the model is absent.
 */
export function scoreWithRunModel(
  file: RunModelFile,
  columns: Readonly<Record<string, FeatureColumn>>,
): Float64Array {
  const model = modelFromJson(file.model);
  const missing = file.preprocessing.features.map((f) => f.name).filter((n) => columns[n] === undefined);
  if (missing.length > 0) {
    throw new LeadliftError(
      'train.missingColumn',
      `The table lacks ${missing.length} feature column(s) the model was trained on: ${listSome(missing)}. Score a table with the training run's feature columns.`,
      { details: { missing } },
    );
  }
  const codes = encodeCodes(
    file.preprocessing,
    file.preprocessing.features.map((f) => columns[f.name]!),
  );
  const view = file.view === 'codes' ? codes : encodeOneHot(file.preprocessing, codes);
  return applyCalibrator(file.calibrator, predictRaw(model, view));
}
