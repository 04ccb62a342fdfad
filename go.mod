module github.com/forewarn/forewarn

go 1.26
