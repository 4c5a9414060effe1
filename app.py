"""Streamlit entry point: a thin shell over the Python API (ingest/, retrieval/). Run: make run."""

from __future__ import annotations

import streamlit as st

from hoering.settings import get_settings
from retrieval.library import list_documents

settings = get_settings()
st.set_page_config(page_title="Høringsassistent", page_icon="📨", layout="wide")
st.title("Høringsassistent")
st.caption("Spørg høringssvarene – og få svar med citater. (Chatten kommer i næste version.)")

documents = list_documents(settings)
if not documents:
    st.info("Indekset er tomt. Indlæs høringssvar med `hoering ingest MAPPE`.")
else:
    st.subheader(f"{len(documents)} indlæste høringssvar")
    st.dataframe(
        [
            {
                "Afsender": d.sender,
                "Udtaler sig som": d.sender_type,
                "Kommune": d.municipality or "",
                "Dato": d.date or "",
                "Høring": d.hearing or "",
                "Sider": d.pages,
                "Tekststykker": d.chunks,
                "Fil": d.source,
                "doc_id": d.doc_id,
            }
            for d in documents
        ],
        hide_index=True,
        width="stretch",
    )
