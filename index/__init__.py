"""The index layer: typed records, the Chroma store, manifest, BM25, embeddings and their caches, the writer and the read snapshot."""
