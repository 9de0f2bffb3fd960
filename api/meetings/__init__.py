"""Branch meetings (sinh hoạt chi bộ): recurring templates, RSVPs and absences, check-in codes, minutes, quality."""
