from mylog import RFH


class Writer(RFH):
    def describe(self):
        return "writer"
