"""The authorization matrix, one module of rows per domain (each exports MATRIX and REQUESTS)."""
