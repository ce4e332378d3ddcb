DROP TABLE imports;
DROP TABLE sources;
