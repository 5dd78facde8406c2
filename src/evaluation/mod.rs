//! Evaluation: seeded stratified splits and folds, class weights, metrics, confusion matrices,
//! grid search by cross-validation.
