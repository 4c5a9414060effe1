"""Reading letters into the index, and taking them out again.

A file's way in: ``formats/`` reads it (one module per format family, the table of formats in
``formats/table.py``), ``budget`` runs that reading in a worker process within the file's time and memory budget,
``clean`` → ``metadata`` → ``chunking`` turn what was read into documents and chunks (``prepare``: one file, the
names it is stored under in ``names``), and ``pipeline`` is the run (discover the files, prepare them, hand them to
index/writer.py, prune). ``removal`` takes letters out; ``corrections`` keeps officials' metadata corrections;
``uploads`` keeps files dropped into the app; ``repair`` rebuilds a damaged Chroma from the files. Beside the
letters: a hearing's list of invited parties (``hearing_list``) and campaign letters (``campaigns``).
"""
