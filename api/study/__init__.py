"""Study programs (học tập nghị quyết): materials, progress, quizzes, reflections and reports."""
